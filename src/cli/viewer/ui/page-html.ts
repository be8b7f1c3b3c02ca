/** The viewer's single page; the script and styles come from `/assets`, never from a CDN. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>spanwise · local traces</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<nav class="top">
  <a class="brand" href="#/">spanwise</a><span class="subtitle">local trace viewer</span>
  <span id="live" class="live off" data-testid="live-status">○ connecting</span>
</nav>
<main id="main"><div class="empty">Loading…</div></main>
<script src="/assets/app.js"></script>
</body>
</html>
`;
