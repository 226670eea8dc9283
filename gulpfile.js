const path = require('path');
const { task, src, dest } = require('gulp');

// tsc compiles the TypeScript and emits the codex JSON; the SVG icons are copied as they are.
task('build:icons', () => src(path.resolve('icons', '*.svg')).pipe(dest(path.resolve('dist', 'icons'))));
