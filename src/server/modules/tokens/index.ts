export {
  createToken,
  announceIdentityChange,
  forgetResolvedTokens,
  IDENTITY_CHANNEL,
  setIdentityListening,
  listTokens,
  resolveToken,
  revokeToken,
  revokeTokensOf,
} from './tokens.service.js';
export { tokensRoutes } from './tokens.routes.js';
