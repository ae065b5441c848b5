import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Rendering the whole tab takes a few seconds when every package's tests run
// in parallel on a small machine; the default 5 s leaves no margin.
jest.setTimeout(30_000);
// The tab's extensions load their components lazily: under the same load the
// first chunk can take longer than findBy's default 1 s to appear.
configure({ asyncUtilTimeout: 10_000 });
