// Entry point: styles, the query client and the router.
import './zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './ui/styles/tokens.css';
import './ui/styles/controls.css';
import './ui/styles/surfaces.css';
import './ui/styles/desk.css';
import './app/layout.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
