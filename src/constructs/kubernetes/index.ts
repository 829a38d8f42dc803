export * from './auth-key';
export * from './codes';
export * from './control-server';
export * from './operator';
export * from './operator-resources';
export * from './service-ingress';
export * from './sidecar';
export * from './workload';
