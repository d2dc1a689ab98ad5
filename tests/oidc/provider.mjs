// A real OpenID Connect provider for the sign-in browser test: the
// `oidc-provider` package (the certified Node implementation) with its
// development login form, one confidential client (the dashboard), and any
// login accepted as an identity whose e-mail claim is the login itself.
// Usage: node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    },
  ],
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: id };
      },
    };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: { devInteractions: { enabled: true } },
  // put the e-mail claim in the ID token, which Streamlit reads (as most
  // identity providers do for the email scope)
  conformIdTokenClaims: false,
  cookies: { keys: ['netsafe-test-only'] },
});
provider.proxy = false;

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
