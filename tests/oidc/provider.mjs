// A real OpenID Provider for the tests: panva's oidc-provider (OpenID Certified) on a loopback port.
//
// It issues Entra-shaped ID tokens (tid, oid, preferred_username, email, email_verified) for the
// accounts in ACCOUNTS (JSON: login -> claims). Its issuer is Entra-like, `<origin>/<TENANT>/v2.0`;
// `/common/v2.0/.well-known/openid-configuration` is the multi-tenant discovery document, whose
// issuer is the template `<origin>/{tenantid}/v2.0`, as Entra's /common publishes it.
//
// Environment: PORT, TENANT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (space separated), ACCOUNTS.
// Prints "ready <port>" on stdout once it listens. The login page is oidc-provider's own
// development interaction (any password is accepted: the account is chosen by its login).
import Provider from "oidc-provider";

const port = Number(process.env.PORT || 0);
const origin = `http://127.0.0.1:${port}`;
const tenant = process.env.TENANT;
const issuer = `${origin}/${tenant}/v2.0`;
const accounts = JSON.parse(process.env.ACCOUNTS || "{}");

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: (process.env.REDIRECT_URIS || "").split(" ").filter(Boolean),
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { required: () => true },
  scopes: ["openid", "email", "profile"],
  claims: {
    openid: ["sub", "tid", "oid"],
    email: ["email", "email_verified"],
    profile: ["name", "preferred_username"],
  },
  conformIdTokenClaims: false, // put the scope's claims in the ID token, as Entra does
  features: { devInteractions: { enabled: true } },
  // Every scope is granted without a consent page (an organisation's admin consents for its staff).
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  ttl: { IdToken: 300, AccessToken: 300, AuthorizationCode: 60, Session: 600, Interaction: 600, Grant: 600 },
});
provider.proxy = false;

// Entra's /common: the same provider, its discovery document naming the issuer template.
provider.use(async (ctx, next) => {
  const common = ctx.path === "/common/v2.0/.well-known/openid-configuration";
  if (common) ctx.path = "/.well-known/openid-configuration";
  await next();
  if (common && ctx.body && typeof ctx.body === "object") {
    ctx.body = { ...ctx.body, issuer: `${origin}/{tenantid}/v2.0` };
  }
});

provider.listen(port, "127.0.0.1", () => {
  process.stdout.write(`ready ${port}\n`);
});
