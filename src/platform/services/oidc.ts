import * as client from 'openid-client'
import type { OidcConfig } from '../../config.ts'

export interface PendingSignIn {
  codeVerifier: string
  state: string
  nonce: string
}

/** OIDC authorisation code flow with PKCE, discovered from the issuer on first use. */
export class OidcSignIn {
  private configuration: Promise<client.Configuration> | null = null

  constructor(
    private readonly settings: OidcConfig,
    private readonly redirectUri: string,
  ) {}

  private discover(): Promise<client.Configuration> {
    if (!this.configuration) {
      const issuer = new URL(this.settings.issuer)
      const insecure = issuer.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(issuer.hostname)
      this.configuration = client
        .discovery(
          issuer,
          this.settings.clientId,
          this.settings.clientSecret,
          undefined,
          insecure ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .catch((error: unknown) => {
          this.configuration = null
          throw error
        })
    }
    return this.configuration
  }

  async start(): Promise<{ url: string; state: PendingSignIn }> {
    const configuration = await this.discover()
    const codeVerifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })
    return { url: url.href, state: { codeVerifier, state, nonce } }
  }

  async finish(
    callbackUrl: URL,
    pending: PendingSignIn,
  ): Promise<{ sub: string; email?: string; preferred_username?: string }> {
    const configuration = await this.discover()
    const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
    })
    const idToken = tokens.claims()
    if (!idToken) throw new Error('The identity provider returned no ID token')
    // Many providers put only the subject in the ID token: the rest comes from the UserInfo endpoint.
    const claims: Record<string, unknown> =
      typeof idToken.email === 'string' || typeof idToken.preferred_username === 'string'
        ? idToken
        : { ...(await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub)), ...idToken }
    return {
      sub: idToken.sub,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      preferred_username: typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined,
    }
  }
}
