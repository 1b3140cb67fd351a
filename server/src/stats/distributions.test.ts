import { describe, it } from 'vitest';
import {
  betaCdf,
  betaQuantile,
  chiSquareSf,
  lnBeta,
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
} from './distributions.ts';
import { expectRel } from './testing.ts';

// Reference values from scipy 1.17.1 (python3 -c "from scipy import stats; …"), printed with repr.
describe('normal', () => {
  // stats.norm.cdf(x)
  it.each([
    [-8.5, 9.47953482220325e-18],
    [-1.959963984540054, 0.025],
    [-1, 0.15865525393145707],
    [0, 0.5],
    [0.5, 0.6914624612740131],
    [3, 0.9986501019683699],
  ])('cdf(%d) = scipy.stats.norm.cdf', (x, p) => expectRel(normalCdf(x), p, 1e-12));

  // stats.norm.ppf(p)
  it.each([
    [1e-300, -37.0470962993612],
    [1e-20, -9.262340089798409],
    [1e-10, -6.361340902404056],
    [1e-5, -4.264890793922825],
    [0.3, -0.5244005127080409],
    [0.9999999, 5.199337582290661],
    [0.025, -1.9599639845400545],
    [0.5, 0],
    [0.8, 0.8416212335729143],
    [0.975, 1.959963984540054],
    [0.999, 3.090232306167813],
  ])('quantile(%d) = scipy.stats.norm.ppf', (p, x) => expectRel(normalQuantile(p), x, 1e-12));
});

describe('Student t', () => {
  // stats.t.cdf(x, df)
  it.each([
    [-2.5, 3, 0.04385332350403278],
    [-1, 10, 0.17044656615103],
    [0.3, 1.5, 0.5997639015982075],
    [2.1, 29.7, 0.9778349183470767],
    [-12, 4, 0.0001382142742514865],
    [1.96, 1e6, 0.9750019662073651],
  ])('cdf(%d, df=%d) = scipy.stats.t.cdf', (x, df, p) => expectRel(tCdf(x, df), p, 1e-12));

  // stats.t.ppf(p, df)
  it.each([
    [0.975, 1, 12.706204736174694],
    [0.975, 5, 2.5705818356363146],
    [0.975, 17.3, 2.1070320037534676],
    [0.025, 120, -1.9799304050824411],
    [0.9, 2.5, 1.7302509288071766],
    [0.999, 1000, 3.0984021639129233],
  ])('quantile(%d, df=%d) = scipy.stats.t.ppf', (p, df, x) => expectRel(tQuantile(p, df), x, 1e-9));
});

describe('chi-square survival', () => {
  // stats.chi2.sf(x, df)
  it.each([
    [3.84, 1, 0.05004352124870519],
    [10, 2, 0.006737946999085468],
    [0.5, 3, 0.9188914116546758],
    [25, 4, 5.0309817823062075e-5],
    [100, 10, 5.4497019829205215e-17],
    [60, 1, 9.485737571073857e-15],
  ])('sf(%d, df=%d) = scipy.stats.chi2.sf', (x, df, p) => expectRel(chiSquareSf(x, df), p, 1e-12));

  it('is exp(−x/2) with two degrees of freedom (closed form)', () => {
    for (const x of [0.1, 1, 7.5, 40]) expectRel(chiSquareSf(x, 2), Math.exp(-x / 2), 1e-13);
  });
});

describe('beta', () => {
  // stats.beta.cdf(x, a, b)
  it.each([
    [0.3, 2, 5, 0.5798250000000003],
    [0.1, 1, 1, 0.1],
    [0.021, 201, 9801, 0.7446540696667334],
    [0.5, 0.5, 0.5, 0.5000000000000001],
    [0.9, 30, 3, 0.36668351908062025],
  ])('cdf(%d; %d, %d) = scipy.stats.beta.cdf', (x, a, b, p) => expectRel(betaCdf(x, a, b), p, 1e-12));

  // stats.beta.ppf(p, a, b)
  it.each([
    [0.025, 2, 5, 0.043271868292741676],
    [0.975, 2, 5, 0.6412345789976748],
    [0.025, 201, 9801, 0.01743804741072506],
    [0.975, 201, 9801, 0.02293563465314448],
    [0.5, 1, 1, 0.5],
    [0.001, 3, 40, 0.004637335545047788],
  ])('quantile(%d; %d, %d) = scipy.stats.beta.ppf', (p, a, b, x) =>
    expectRel(betaQuantile(p, a, b), x, 1e-9),
  );
});

describe('lnBeta', () => {
  // scipy.special.betaln(a, b); ln B(½, ½) = ln π exactly.
  it.each([
    [0.5, 0.5, 1.1447298858494],
    [201, 9801, -986.0431604650948],
    [20001, 1e6, -98447.0946760606],
    [3, 40, -10.446973958541667],
  ])('lnBeta(%d, %d) = scipy.special.betaln', (a, b, v) => expectRel(lnBeta(a, b), v, 1e-12));
});
