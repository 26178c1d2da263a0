export {
  createToken,
  announceIdentityChange,
  forgetResolvedTokens,
  IDENTITY_CHANNEL,
  setIdentityListening,
  listTokens,
  resolveToken,
  revokeToken,
} from './tokens.service.js';
export { tokensRoutes } from './tokens.routes.js';
