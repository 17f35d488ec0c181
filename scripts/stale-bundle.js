
// Appended to wasm-split's loader by scripts/build. The server only has its own bundle, so after
// a deploy an open tab's page chunks are gone: when one fails to load, the tab loads afresh
// where the user was going, which brings the new bundle. At most once a minute, so a chunk that
// is truly broken cannot make the page reload forever.
let followedLink = null;
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
  followedLink = link && link.origin === location.origin ? { href: link.href, at: Date.now() } : null;
}, true);

function reloadForNewBundle() {
  const key = 'provisio-reloaded-for-a-new-bundle';
  if (Date.now() - Number(sessionStorage.getItem(key) || 0) < 60000) return;
  sessionStorage.setItem(key, String(Date.now()));
  // A click on a link starts the router's navigation, which fetches the page's chunk first.
  if (followedLink && Date.now() - followedLink.at < 10000) location.assign(followedLink.href);
  else location.reload();
}
