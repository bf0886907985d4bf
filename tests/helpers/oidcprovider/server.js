// A real OpenID Connect provider (the certified `oidc-provider` package) for Netkit's sign-in tests.
// Started by tests/helpers/oidc.py on 127.0.0.1: PORT, the signing key in KEY_FILE (a private JWK written by the
// test, so tests can also sign tokens with the provider's own key) and the client secrets in the environment.
// Test accounts sign in on the package's own login page (devInteractions): any password is accepted.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const key = JSON.parse(readFileSync(process.env.KEY_FILE, 'utf8'));

// Test accounts and their groups (provider group ids, as Entra ID gives object ids). Changeable at run time
// through POST /test/groups/<account> so a test can take a group away between two sign-ins.
const accounts = {
  alice: { name: 'Alice Ærø', email: 'alice@region.example', groups: ['gid-data'] },
  bob: { name: 'Bob Facilitator', email: 'bob@region.example', groups: ['gid-facil', 'gid-data'] },
  carol: { name: 'Carol Udenfor', email: 'carol@region.example', groups: ['gid-unmapped'] },
  dora: { name: 'Dora Skifter', email: 'dora@region.example', groups: ['gid-facil', 'gid-data'] },
  // A partner through a broker that lets people set their own address: not verified.
  erik: { name: 'Erik Partner', email: 'erik@partner.example', groups: ['gid-data'], verified: false },
  // Claims the address of Netkit's local emergency admin (verified by this provider, held by another account).
  frida: { name: 'Frida Kopi', email: 'it@region.example', groups: ['gid-data'] },
};

const client = (id, secret) => ({
  client_id: id,
  client_secret: secret,
  grant_types: ['authorization_code'],
  response_types: ['code'],
  redirect_uris: ['http://127.0.0.1/placeholder'], // any loopback address is allowed below
  post_logout_redirect_uris: ['http://127.0.0.1/placeholder'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(issuer, {
  clients: [client('netkit', process.env.NETKIT_SECRET), client('other-app', process.env.OTHER_SECRET)],
  jwks: { keys: [key] },
  cookies: { keys: ['netkit-test-provider-cookie-key'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    // Entra ID sends the groups claim by the app registration's configuration, not by a scope Netkit asks for.
    profile: ['name', 'preferred_username', 'groups'],
  },
  conformIdTokenClaims: false, // the claims go into the ID token, as Entra ID does with group claims
  pkce: { methods: ['S256'], required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, name: account.name, email: account.email, email_verified: account.verified !== false,
          groups: account.groups };
      },
    };
  },
  // First-party client: no consent page, every requested scope is granted.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

// The tests' Netkit servers listen on free ports of the loopback address: allow those addresses only.
const loopback = (uri) => /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(uri);
provider.Client.prototype.redirectUriAllowed = loopback;
provider.Client.prototype.postLogoutRedirectUriAllowed = loopback;

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/test\/groups\/([a-z]+)$/);
  if (ctx.method === 'POST' && match && accounts[match[1]]) {
    const body = await new Promise((resolve) => {
      let data = '';
      ctx.req.on('data', (chunk) => { data += chunk; });
      ctx.req.on('end', () => resolve(data));
    });
    accounts[match[1]].groups = JSON.parse(body);
    ctx.status = 204;
    return;
  }
  await next();
});

provider.listen(port, '127.0.0.1', () => { console.log(`oidc-provider listening on ${issuer}`); });
