// A real OpenID provider for the tests: the npm `oidc-provider` package (pinned in
// package-lock.json), on a loopback port, with the clients and accounts the tests hand it.
//
//   node tests/support/oidc_provider.mjs <port> '<json config>'
//
// config: {"clients": [...oidc-provider client metadata...],
//          "accounts": {"<sub>": {"email": "...", "email_verified": true, "name": "..."}},
//          "account": "<sub signed in by default>"}
//
// Logging in and consenting need no page: the interaction is finished at once as the account
// chosen by POST /test/account?sub=<sub>. POST /test/tamper?mode=audience|expired|nonce|issuer
// makes the token endpoint re-sign the next ID tokens with that claim wrong (with the provider's
// own key), or (mode=signature) the right claims with a key the provider does not publish.
// Prints "listening <issuer>" when ready.
import http from 'node:http';
import Provider from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.argv[2]);
const config = JSON.parse(process.argv[3]);
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signing = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const stranger = (await jose.generateKeyPair('RS256')).privateKey;
let account = config.account;
let tamper = null;

const provider = new Provider(issuer, {
  clients: config.clients,
  jwks: { keys: [signing] },
  cookies: { keys: ['a test provider cookie key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const claims = config.accounts[sub];
    if (!claims) return undefined;
    return { accountId: sub, async claims() { return { sub, ...claims }; } };
  },
});

// A misbehaving token endpoint on request: the same key, the wrong claims.
provider.use(async (ctx, next) => {
  await next();
  if (tamper && ctx.path === '/token' && ctx.body && ctx.body.id_token) {
    const claims = jose.decodeJwt(ctx.body.id_token);
    if (tamper === 'audience') claims.aud = 'another-client';
    if (tamper === 'expired') { claims.iat -= 7200; claims.exp = claims.iat + 600; }
    if (tamper === 'nonce') claims.nonce = 'another-nonce';
    if (tamper === 'issuer') claims.iss = 'https://impostor.example.com';
    // 'signature': the right claims, signed by a key the provider's JWKS does not hold.
    const key = tamper === 'signature' ? stranger : await jose.importJWK(signing, 'RS256');
    ctx.body = { ...ctx.body, id_token: await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(key) };
  }
});

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: account } }, { mergeWithLastSubmission: false });
    return;
  }
  let grant = details.grantId ? await provider.Grant.find(details.grantId) : null;
  if (!grant) grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const url = new URL(req.url, issuer);
  if (req.method === 'POST' && url.pathname === '/test/account') {
    account = url.searchParams.get('sub');
    res.end('ok');
  } else if (req.method === 'POST' && url.pathname === '/test/tamper') {
    tamper = url.searchParams.get('mode') || null;
    res.end('ok');
  } else if (url.pathname.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => { res.statusCode = 500; res.end(String(error)); });
  } else {
    callback(req, res);
  }
});
server.listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
