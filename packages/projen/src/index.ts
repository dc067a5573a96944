export * from './docker';
export * from './helm-values';
export * from './kit';
export * from './migrations';
export * from './platform-project';
export * from './projenrc-file';
export * from './templates';
export * from './workflows';
