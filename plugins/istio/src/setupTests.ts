import '@testing-library/jest-dom';

// Rendering the whole tab takes a few seconds when every package's tests run
// in parallel on a small machine; the default 5 s leaves no margin.
jest.setTimeout(30_000);
