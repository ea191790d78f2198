// A real OpenID Connect provider (the certified `oidc-provider` package) for the tests, on loopback.
//
// Configured entirely from one JSON document in the OIDC_TEST_CONFIG environment variable:
//   { issuer, port, client: {client_id, client_secret, redirect_uris}, jwks: {keys: [private JWK]},
//     accounts: {login: {sub, email, email_verified, name, preferred_username, groups}} }
// It prints "listening <port>" once it accepts connections.
//
// Signing in is a one-step interaction without a page: GET /interaction/<uid>?as=<login> signs in that test
// account (as=deny answers access_denied), and consent is implied for the one first-party client.
import http from 'node:http';

import { Provider } from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);
const SCOPE = 'openid email profile groups';

function findAccount(accounts) {
  return async (_ctx, id) => {
    const account = Object.values(accounts).find((candidate) => candidate.sub === id);
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ ...account }) };
  };
}

const provider = new Provider(config.issuer, {
  clients: [{
    ...config.client,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: config.jwks,
  findAccount: findAccount(config.accounts),
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username', 'given_name'],
    groups: ['groups'],
  },
  scopes: SCOPE.split(' '),
  // Put the scopes' claims in the ID token too, as many organisations' providers do: the app reads them there.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  // The one client is first-party: consent is implied, so the flow needs no consent page.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(SCOPE);
    await grant.save();
    return grant;
  },
  ttl: { IdToken: 300, AccessToken: 300, AuthorizationCode: 60, Interaction: 300, Session: 300, Grant: 300 },
});
provider.proxy = false;

async function interaction(req, res, login) {
  if (login === 'deny') {
    const result = { error: 'access_denied', error_description: 'The member said no.' };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }
  const account = config.accounts[login];
  if (!account) {
    res.writeHead(400, { 'Content-Type': 'text/plain' });
    res.end(`no test account ${login}`);
    return;
  }
  const result = { login: { accountId: account.sub } };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const handle = provider.callback();
// The tests change an account's claims between sign-ins (a member leaves a group) with PUT /test-accounts/<login>.
function updateAccount(req, res, login) {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    config.accounts[login] = JSON.parse(body);
    res.writeHead(204);
    res.end();
  });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, config.issuer);
  if (req.method === 'PUT' && url.pathname.startsWith('/test-accounts/')) {
    updateAccount(req, res, decodeURIComponent(url.pathname.slice('/test-accounts/'.length)));
    return;
  }
  if (req.method === 'GET' && url.pathname.startsWith('/interaction/')) {
    interaction(req, res, url.searchParams.get('as') || '').catch((error) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(error));
    });
    return;
  }
  handle(req, res);
});

server.listen(config.port || 0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
