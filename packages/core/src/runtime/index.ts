export { configure, context, settings, traced, withLMMiddleware } from './settings';
export type { Settings, TraceRecord } from './settings';
export { instrument, observeSync, observing } from './callbacks';
export type { Callback, CallEvent } from './callbacks';
export {
  activeUsageTracker,
  lmUsageOf,
  rememberUsage,
  totalUsage,
  trackedCall,
  trackUsage,
  UsageTracker,
} from './usage-tracker';
export type { LMUsage, ModelUsage } from './usage-tracker';
