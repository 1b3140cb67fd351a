// The demo shop's own code: a product list, a cart in localStorage, and the cart/order calls to
// the Funnelhouse snippet, made exactly as a customer would. It loads before f.js, so it starts
// with the documented pre-load stub; the calls are replayed once f.js runs.
window.fh =
  window.fh ||
  function () {
    fh.q = fh.q || [];
    // biome-ignore lint/complexity/noArguments: the stub keeps each call's arguments as they came.
    fh.q.push(arguments);
  };

const PRODUCTS = [
  { id: 'p1', name: 'Espresso cup', price: 12, category: 'Kitchen' },
  { id: 'p2', name: 'Pour-over kettle', price: 49, category: 'Kitchen' },
  { id: 'p3', name: 'Coffee beans 1 kg', price: 24.5, category: 'Coffee' },
  { id: 'p4', name: 'Hand grinder', price: 89, category: 'Coffee' },
];
const CURRENCY = 'EUR';

const cart = {
  lines: () => JSON.parse(localStorage.getItem('demo_cart') || '[]'),
  save: (lines) => localStorage.setItem('demo_cart', JSON.stringify(lines)),
  total: (lines) => Math.round(lines.reduce((s, l) => s + l.price * l.quantity, 0) * 100) / 100,
};
const $ = (id) => document.getElementById(id);
const money = (n) => `€${n.toFixed(2)}`;

function item(p, quantity) {
  return { id: p.id, name: p.name, price: p.price, quantity, category: p.category };
}

const pages = {
  list() {
    for (const p of PRODUCTS) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `product.html?id=${p.id}`;
      a.id = `product-${p.id}`;
      a.textContent = `${p.name} — ${money(p.price)}`;
      li.append(a);
      $('products').append(li);
    }
  },
  product() {
    const p = PRODUCTS.find((x) => x.id === new URLSearchParams(location.search).get('id')) || PRODUCTS[0];
    document.title = `${p.name} · Demo shop`;
    $('name').textContent = p.name;
    $('category').textContent = p.category;
    $('price').textContent = money(p.price);
    $('add-to-cart').addEventListener('click', () => {
      const lines = cart.lines();
      const line = lines.find((l) => l.id === p.id);
      if (line) line.quantity += 1;
      else lines.push(item(p, 1));
      cart.save(lines);
      fh('add_to_cart', { items: [item(p, 1)], revenue: p.price, currency: CURRENCY });
      location.href = 'cart.html';
    });
  },
  cart() {
    const lines = cart.lines();
    for (const l of lines) {
      const li = document.createElement('li');
      li.textContent = `${l.quantity} × ${l.name} — ${money(l.price * l.quantity)}`;
      $('lines').append(li);
    }
    $('total').textContent = money(cart.total(lines));
    fh('view_cart', { items: lines, revenue: cart.total(lines), currency: CURRENCY });
  },
  checkout() {
    const lines = cart.lines();
    const value = { items: lines, revenue: cart.total(lines), currency: CURRENCY };
    $('total').textContent = money(value.revenue);
    fh('begin_checkout', value);
    $('checkout-form').addEventListener('submit', (e) => {
      e.preventDefault();
      fh('add_shipping_info', { ...value, props: { shipping: e.target.elements.shipping.value } });
      fh('add_payment_info', value);
      const order = { order_id: `D-${Date.now().toString(36)}`, ...value };
      sessionStorage.setItem('demo_order', JSON.stringify(order));
      cart.save([]);
      location.href = `thanks.html?order=${order.order_id}`;
    });
  },
  thanks() {
    // The purchase is sent from the thank-you page, once per order, as shops usually do.
    const order = JSON.parse(sessionStorage.getItem('demo_order') || 'null');
    $('order-id').textContent = new URLSearchParams(location.search).get('order') || '';
    if (order) {
      sessionStorage.removeItem('demo_order');
      fh('purchase', order);
    }
  },
};

document.addEventListener('DOMContentLoaded', () => {
  $('cart-count').textContent = String(cart.lines().reduce((n, l) => n + l.quantity, 0));
  pages[document.body.dataset.page]();
});
