import { render } from 'preact';
import './styles/app.css';
import { App } from './ui/App';

render(<App />, document.getElementById('app')!);
