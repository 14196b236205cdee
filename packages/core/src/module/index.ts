export { Module, type Parameter, type PredictorLike } from './module';
export { Predict, type PredictOptions, type ForwardOptions } from './predict';
export { ChainOfThought, type WithReasoning } from './chain-of-thought';
export { Program } from './program';
export { Predictor, Submodule, Param, type ParamDeclaration } from './decorators';
export { ConfigurationError, ModuleInputError, OutputValidationError } from './errors';
