// The DDAS v1.2 builder and its schema check live in common/, so that the monthly delivery (activities) shares them.
export * from '../common/ddas-v12';
