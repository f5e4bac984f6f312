// Bundled by esbuild; the type packages of React are not installed (only GraphiQL uses React).
declare module '*.css';
declare module 'react';
declare module 'react-dom/client';
