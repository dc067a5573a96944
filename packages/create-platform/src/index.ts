export * from './answers';
export * from './args';
export * from './cli';
export * from './errors';
export * from './kit-source';
export * from './scaffold';
