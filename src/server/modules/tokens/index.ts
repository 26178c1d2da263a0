export {
  createToken,
  forgetResolvedTokens,
  listTokens,
  resolveToken,
  revokeToken,
} from './tokens.service.js';
export { tokensRoutes } from './tokens.routes.js';
