/** The views of one site beyond the overview, chosen by the route. */
import type { SiteSummary } from '@funnelhouse/schemas';
import type { Api, RangeQuery } from '../api.ts';
import { Empty } from '../load.tsx';
import type { Route } from '../route.ts';
import { Carts } from './carts/index.tsx';
import { Experiments } from './experiments/index.tsx';
import { Funnels } from './funnels/index.tsx';
import { Install } from './install.tsx';
import { Settings } from './settings.tsx';

export function SiteViews(props: {
  api: Api;
  apiKey: string;
  site: SiteSummary;
  route: Route;
  range: RangeQuery;
  navigate: (r: Partial<Route>, replace?: boolean) => void;
}) {
  const { api, site, route } = props;
  switch (route.view) {
    case 'funnels':
      return <Funnels api={api} site={site.id} route={route} range={props.range} navigate={props.navigate} />;
    case 'experiments':
      return (
        <Experiments api={api} site={site.id} route={route} range={props.range} navigate={props.navigate} />
      );
    case 'carts':
      return (
        <Carts
          api={api}
          site={site.id}
          route={route}
          range={props.range}
          compare={route.compare}
          navigate={props.navigate}
        />
      );
    case 'settings':
      return <Settings api={api} site={site.id} />;
    case 'install':
      return <Install api={api} site={site} apiKey={props.apiKey} />;
    default:
      return (
        <main>
          <Empty title="Not here yet">
            <p>This view is not built yet; see the Overview.</p>
          </Empty>
        </main>
      );
  }
}
