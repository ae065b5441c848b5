// ${{ values.name }}: ${{ values.description }}
const http = require('node:http');

const port = Number(process.env.PORT ?? ${{ values.port }});

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ service: '${{ values.name }}', path: req.url }));
});

server.listen(port, () => {
  console.log(`${{ values.name }} listening on ${port}`);
});
