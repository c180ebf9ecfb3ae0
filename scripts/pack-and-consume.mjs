// Pack-and-consume: packs each package exactly as it would be published and uses the tarballs the way
// another repository would, from fresh npm projects outside the workspace: one package at a time, in ESM
// and in CommonJS, from TypeScript under node16 and bundler resolution, and the sdp-dispatch command.
// Nothing of the workspace leaks in: the projects live under the OS temp directory, npm installs the
// tarballs (and their registry dependencies), and every import is checked to resolve inside the project.
//
// Usage, after `pnpm build`:  node scripts/pack-and-consume.mjs [--sizes <file.json>]
// --sizes writes the packed size of each package as JSON (for the root README).
// Prints one line per check, then "N passed, M failed"; exits 1 if any check failed.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = fileURLToPath(new URL('consumer-fixtures/', import.meta.url));
const tscBin = path.join(root, 'node_modules/typescript/bin/tsc');
const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// The consumers' TypeScript projects use the same @types/node as the repository (Node 20 API).
const typesNode = `@types/node@${rootManifest.devDependencies['@types/node']}`;

const packages = [
  { name: '@sdp/graph', dir: 'graph' },
  { name: '@sdp/circuit-breaker', dir: 'circuit-breaker' },
  { name: '@sdp/checkpoint', dir: 'checkpoint' },
  { name: '@sdp/dispatcher', dir: 'dispatcher' },
  { name: '@sdp/bullmq', dir: 'bullmq' },
  { name: '@sdp/cli', dir: 'cli' },
];
const packageNames = new Set(packages.map(({ name }) => name));

// One fresh project per scenario; `installs` are the tarballs given to one `npm install`.
const scenarios = [
  { label: '(a) only @sdp/graph', main: '@sdp/graph', fixture: 'graph', installs: ['@sdp/graph'] },
  { label: '(b) only @sdp/circuit-breaker', main: '@sdp/circuit-breaker', fixture: 'circuit-breaker', installs: ['@sdp/circuit-breaker'] },
  { label: '(c) only @sdp/checkpoint', main: '@sdp/checkpoint', fixture: 'checkpoint', installs: ['@sdp/checkpoint'] },
  {
    label: '(d) @sdp/dispatcher with its three siblings (the library alone: no bin, no yaml)',
    main: '@sdp/dispatcher',
    fixture: 'dispatcher',
    installs: ['@sdp/dispatcher', '@sdp/graph', '@sdp/circuit-breaker', '@sdp/checkpoint'],
    absent: ['yaml'],
  },
  {
    label: '(e) @sdp/cli (the sdp-dispatch command) with @sdp/bullmq, the dispatcher and the three leaves',
    main: '@sdp/cli',
    fixture: 'cli',
    installs: ['@sdp/cli', '@sdp/bullmq', '@sdp/dispatcher', '@sdp/graph', '@sdp/circuit-breaker', '@sdp/checkpoint'],
    cli: true,
  },
];

class CheckFailure extends Error {}

let passed = 0;
let failed = 0;

/** Runs one check: `fn` returns a short detail to print, or throws to fail. */
function check(title, fn) {
  try {
    const detail = fn();
    passed += 1;
    console.log(`  ✓ ${title}${detail ? `: ${detail}` : ''}`);
    return true;
  } catch (error) {
    failed += 1;
    const reason = error instanceof CheckFailure ? error.message : String(error?.stack ?? error);
    console.log(`  ✗ ${title}\n${indent(reason, '      ')}`);
    return false;
  }
}

function expect(condition, message) {
  if (!condition) throw new CheckFailure(message);
}

const indent = (text, prefix) => text.replace(/\n+$/, '').replace(/^/gm, prefix);

/** Runs a command to completion; throws a CheckFailure with its output unless it exits 0. */
function run(command, args, cwd, { allowFailure = false, timeout = 300_000 } = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (!allowFailure && (result.error || result.status !== 0)) {
    const tail = output.trim().split('\n').slice(-40).join('\n');
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    throw new CheckFailure(`\`${command} ${args.join(' ')}\` failed (${why}) in ${cwd}\n${tail}`);
  }
  return { ...result, output, seconds };
}

const kB = (bytes) => Math.round(bytes / 100) / 10;
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The regular files of a .tgz made by npm/pnpm pack: path in the archive → content. */
function readTarball(file) {
  const data = gunzipSync(readFileSync(file));
  const files = new Map();
  let longName;
  for (let offset = 0; offset + 512 <= data.length;) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start, length) => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const body = data.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    } else if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
    } else if (type !== 'g') {
      const prefix = field(345, 155);
      const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
      longName = undefined;
      if (type === '0') files.set(name, body);
    }
  }
  return files;
}

// What a published package may contain, and what it must never contain even inside dist/.
// bin/ holds launchers of a command built into dist/ (they exist before the build, so a fresh clone links them).
const allowedFile = /^(dist\/.+|bin\/[^/]+\.js|package\.json|README(\.md)?|LICEN[CS]E(\.\w+)?|CHANGELOG\.md)$/i;
const forbiddenFiles = [
  [/(^|\/)[^/]+\.(test|spec)\.[^/]+$/, 'a test file'],
  [/(^|\/)(__tests__|tests?|test-fixtures|__fixtures__|fixtures)\//, 'a test fixture'],
  [/^src\//, 'source'],
  [/(^|\/)bench\//, 'a benchmark'],
  [/\.map$/, 'a source map'],
  [/(^|\/)(tsconfig[^/]*\.json|tsup\.config\.\w+|vitest\.config\.\w+)$/, 'build configuration'],
];

/** Every file path named by main/module/types/exports/bin of a manifest ("./dist/x" → "dist/x"). */
function entryPoints(manifest) {
  const targets = [];
  const collect = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect([manifest.main, manifest.module, manifest.types, manifest.typings, manifest.exports, manifest.bin]);
  return [...new Set(targets.map((target) => target.replace(/^\.\//, '')))];
}

/** Whether `version` satisfies a ^, ~ or exact range (the forms pnpm writes for workspace:^/~/*). */
function satisfies(version, range) {
  const parse = (text) => /^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/.exec(text);
  const [, operator = '', rangeVersion = ''] = /^(\^|~|=)?(.*)$/.exec(range) ?? [];
  const want = parse(rangeVersion);
  const have = parse(version);
  if (!want || !have) return false;
  if (operator === '' || operator === '=' || have[4]) return version === rangeVersion; // prereleases: exact only
  const [wantMajor, wantMinor, wantPatch] = want.slice(1, 4).map(Number);
  const [major, minor, patch] = have.slice(1, 4).map(Number);
  const atLeast = major - wantMajor || minor - wantMinor || patch - wantPatch;
  if (atLeast < 0) return false;
  if (operator === '~') return major === wantMajor && minor === wantMinor;
  if (wantMajor > 0) return major === wantMajor;
  if (wantMinor > 0) return major === 0 && minor === wantMinor;
  return major === 0 && minor === 0 && patch === wantPatch;
}

// ---------------------------------------------------------------------------------------------------

const { values: options } = (() => {
  try {
    return parseArgs({ options: { sizes: { type: 'string' } } });
  } catch (error) {
    console.error(`${error.message}\nUsage: node scripts/pack-and-consume.mjs [--sizes <file.json>]`);
    process.exit(2);
  }
})();

const started = performance.now();
const work = realpathSync(mkdtempSync(path.join(tmpdir(), 'sdp-pack-and-consume-')));
try {
  main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`\nTotal time ${((performance.now() - started) / 1000).toFixed(1)} s; temporary directories removed.`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

function main() {
  const outside = path.relative(root, work).startsWith('..') || path.isAbsolute(path.relative(root, work));
  if (!check(`work directory ${work} is outside the workspace`, () => expect(outside, `${work} is inside ${root}: set TMPDIR elsewhere`)))
    return;

  const packed = pack();
  if (packed.size !== packages.length) return;

  for (const scenario of scenarios) consume(scenario, packed);
}

/** Packs every package with pnpm, checks each tarball, returns name → { file, version }. */
function pack() {
  const tarballs = path.join(work, 'tarballs');
  mkdirSync(tarballs);
  console.log(`\nPacking with pnpm pack into ${tarballs}`);
  const packed = new Map();
  const sizes = {};

  for (const { name, dir } of packages) {
    const packageDir = path.join(root, 'packages', dir);
    let files;
    let file;
    const ok = check(`${name} pnpm pack`, () => {
      expect(existsSync(path.join(packageDir, 'dist')), `${packageDir}/dist is missing: run \`pnpm build\` first`);
      const { stdout } = run('pnpm', ['pack', '--json', '--pack-destination', tarballs], packageDir);
      file = JSON.parse(stdout.slice(stdout.indexOf('{'))).filename;
      files = readTarball(file);
      return path.basename(file);
    });
    if (!ok) continue;

    const outsidePackage = [...files.keys()].filter((entry) => !entry.startsWith('package/'));
    const contents = new Map(
      [...files].filter(([entry]) => entry.startsWith('package/')).map(([entry, value]) => [entry.slice('package/'.length), value]),
    );
    const manifest = JSON.parse(contents.get('package.json')?.toString('utf8') ?? '{}');
    const packedBytes = statSync(file).size;
    const unpackedBytes = [...contents.values()].reduce((sum, body) => sum + body.length, 0);

    check(`${name} tarball contents`, () => {
      expect(outsidePackage.length === 0, `entries outside package/: ${outsidePackage.join(', ')}`);
      const problems = [];
      for (const entry of contents.keys()) {
        const forbidden = forbiddenFiles.find(([pattern]) => pattern.test(entry));
        if (forbidden) problems.push(`${entry} is ${forbidden[1]}`);
        else if (!allowedFile.test(entry)) problems.push(`${entry} is not under dist/ or bin/ nor package.json/README/LICENSE/CHANGELOG`);
      }
      expect(contents.has('package.json'), 'package.json is missing');
      expect(
        [...contents.keys()].some((entry) => /^README(\.md)?$/i.test(entry)),
        'README is missing',
      );
      expect(
        [...contents.keys()].some((entry) => entry.startsWith('dist/')),
        'no dist/ files: run `pnpm build` first',
      );
      const licenses = readdirSync(packageDir).filter((entry) => /^LICEN[CS]E/i.test(entry));
      for (const license of licenses) if (!contents.has(license)) problems.push(`${license} of the package folder is missing`);
      expect(problems.length === 0, problems.join('\n'));
      const listed = [...contents.keys()].sort().join(', ');
      return `${contents.size} files (${listed})${licenses.length === 0 ? '; no LICENSE file in the package folder' : ''}`;
    });

    check(`${name} entry points exist in the tarball`, () => {
      const targets = entryPoints(manifest);
      const missing = targets.filter((target) => !contents.has(target));
      expect(missing.length === 0, `main/module/types/exports/bin name files that are not packed: ${missing.join(', ')}`);
      for (const bin of entryPoints({ bin: manifest.bin })) {
        expect(contents.get(bin).toString('utf8').startsWith('#!/usr/bin/env node'), `bin ${bin} does not start with #!/usr/bin/env node`);
      }
      return targets.join(', ');
    });

    check(`${name} dependency ranges`, () => {
      const problems = [];
      const siblings = [];
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
        for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
          if (/^(workspace|catalog|link|file|portal|patch):/.test(range))
            problems.push(`${field}.${dependency} is "${range}", not a registry range`);
          else if (packageNames.has(dependency) && field !== 'devDependencies') siblings.push([dependency, range]);
        }
      }
      for (const [dependency, range] of siblings) {
        const sibling = packages.find(({ name: other }) => other === dependency);
        const siblingVersion = readJson(path.join(root, 'packages', sibling.dir, 'package.json')).version;
        if (!satisfies(siblingVersion, range))
          problems.push(`${dependency} "${range}" is not a ^, ~ or exact range accepting the packed version ${siblingVersion}`);
      }
      expect(problems.length === 0, problems.join('\n'));
      const described = siblings.map(([dependency, range]) => `${dependency} ${range}`).join(', ');
      return siblings.length > 0 ? `no workspace: ranges; siblings ${described} match their packed versions` : 'no workspace: ranges';
    });

    console.log(
      `    size of ${name}@${manifest.version}: ${packedBytes} B packed (${kB(packedBytes)} kB), ${unpackedBytes} B unpacked (${kB(unpackedBytes)} kB)`,
    );
    sizes[name] = {
      version: manifest.version,
      packedBytes,
      packedKB: kB(packedBytes),
      unpackedBytes,
      unpackedKB: kB(unpackedBytes),
      files: contents.size,
    };
    packed.set(name, { file, version: manifest.version });
  }

  if (options.sizes && packed.size === packages.length) {
    writeFileSync(path.resolve(options.sizes), `${JSON.stringify(sizes, null, 2)}\n`);
    console.log(`    sizes written to ${path.resolve(options.sizes)}`);
  }
  return packed;
}

/** One fresh npm project: install the tarballs, run the ESM and CJS consumers, compile the TS one. */
function consume(scenario, packed) {
  const project = path.join(work, scenario.fixture);
  console.log(`\nScenario ${scenario.label}: npm project ${project}`);
  mkdirSync(project);
  writeFileSync(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: `consumer-${scenario.fixture}`, version: '1.0.0', private: true, description: 'pack-and-consume test project' }, null, 2)}\n`,
  );
  const source = path.join(fixtures, scenario.fixture);
  copyFileSync(path.join(source, 'esm.mjs'), path.join(project, 'esm.mjs'));
  copyFileSync(path.join(source, 'cjs.js'), path.join(project, 'cjs.cjs'));
  for (const extension of ['mts', 'cts', 'ts']) copyFileSync(path.join(source, 'consumer.ts'), path.join(project, `consumer.${extension}`));
  if (existsSync(path.join(source, 'workstreams')))
    cpSync(path.join(source, 'workstreams'), path.join(project, 'workstreams'), { recursive: true });

  const tarballs = scenario.installs.map((name) => packed.get(name).file);
  const installed = check(`npm install ${scenario.installs.join(' ')} (tarballs) ${typesNode}`, () => {
    const { seconds } = run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--package-lock', '--loglevel=error', ...tarballs, typesNode],
      project,
    );
    const present = readdirSync(path.join(project, 'node_modules/@sdp')).map((entry) => `@sdp/${entry}`);
    expect(
      present.sort().join() === [...scenario.installs].sort().join(),
      `node_modules/@sdp holds ${present.join(', ')}, expected only ${scenario.installs.join(', ')}`,
    );
    const lock = readJson(path.join(project, 'package-lock.json')).packages;
    const fromRegistry = [];
    for (const name of scenario.installs) {
      const entry = lock[`node_modules/${name}`];
      expect(entry?.version === packed.get(name).version, `${name} installed ${entry?.version}, packed ${packed.get(name).version}`);
      expect(
        entry.resolved?.startsWith('file:') && entry.resolved.endsWith(path.basename(packed.get(name).file)),
        `${name} came from ${entry.resolved}, not the tarball`,
      );
      for (const dependency of Object.keys(entry.dependencies ?? {}).filter((dependency) => !packageNames.has(dependency))) {
        const dependencyEntry = lock[`node_modules/${dependency}`];
        // `resolved` is left out of the lock file when npm's omit-lockfile-registry-resolved is set.
        const fromTheRegistry = dependencyEntry && !dependencyEntry.link && (dependencyEntry.resolved ?? 'https:').startsWith('https:');
        expect(fromTheRegistry, `${name}'s dependency ${dependency} was not installed from the registry (${dependencyEntry?.resolved})`);
        fromRegistry.push(`${dependency}@${dependencyEntry.version}`);
      }
    }
    const registryNote = fromRegistry.length > 0 ? `; ${fromRegistry.join(', ')} from the registry` : '';
    return `${seconds.toFixed(1)} s, tarball versions installed${registryNote}`;
  });
  if (!installed) {
    console.log('    (the other checks of this scenario need the install and were not run)');
    return;
  }

  if (scenario.installs.length > 1) checkSiblingResolution(scenario, project);
  if (scenario.absent) checkAbsent(scenario, project);

  for (const [file, kind] of [
    ['esm.mjs', 'ESM import'],
    ['cjs.cjs', 'CommonJS require'],
  ]) {
    check(`${kind} and call (${file})`, () => {
      const { stdout } = run(process.execPath, [file], project, { timeout: 60_000 });
      const { resolved, result } = JSON.parse(stdout.trim().split('\n').at(-1));
      const resolvedPath = resolved.startsWith('file:') ? fileURLToPath(resolved) : resolved;
      const packageRoot = path.join(project, 'node_modules', scenario.main);
      expect(resolvedPath.startsWith(packageRoot + path.sep), `${scenario.main} resolved to ${resolvedPath}, outside ${packageRoot}`);
      return `${path.relative(project, resolvedPath)}; ${result}`;
    });
  }

  compileTypeScript(scenario, project);
  if (scenario.cli) checkCli(project, packed.get(scenario.main).version);
}

/** Packages that must not be installed with this scenario (the library without the command's dependencies). */
function checkAbsent(scenario, project) {
  check(`${scenario.main} installs without ${scenario.absent.join(', ')} and declares no bin`, () => {
    const lock = readJson(path.join(project, 'package-lock.json')).packages;
    const present = scenario.absent.filter((name) =>
      Object.keys(lock).some((key) => key === `node_modules/${name}` || key.endsWith(`/node_modules/${name}`)),
    );
    expect(present.length === 0, `installed anyway: ${present.join(', ')}`);
    const manifest = readJson(path.join(project, 'node_modules', scenario.main, 'package.json'));
    expect(manifest.bin === undefined, `${scenario.main} still declares a bin: ${JSON.stringify(manifest.bin)}`);
    return `${Object.keys(lock).length - 1} packages installed, none of ${scenario.absent.join(', ')}`;
  });
}

/** The main package's sibling ranges resolve to the packed siblings, hoisted as ordinary dependencies. */
function checkSiblingResolution(scenario, project) {
  const main = scenario.main;
  check(`${main} resolves its siblings to the tarballs as normal dependencies`, () => {
    run('npm', ['ls', '--all'], project); // exits non-zero on a missing, invalid or extraneous package
    const lock = readJson(path.join(project, 'package-lock.json')).packages;
    const requested = lock[`node_modules/${main}`].dependencies ?? {};
    const described = [];
    for (const name of scenario.installs.filter((name) => name !== main && requested[name] !== undefined)) {
      const range = requested[name];
      expect(!lock[`node_modules/${main}/node_modules/${name}`], `${name} was installed a second time under ${main}`);
      expect(
        satisfies(lock[`node_modules/${name}`].version, range),
        `${name} ${lock[`node_modules/${name}`].version} does not satisfy ${range}`,
      );
      described.push(`${name} ${range} → ${lock[`node_modules/${name}`].version} (tarball)`);
    }
    return `${described.join(', ')}; npm ls --all clean`;
  });
}

/** tsc twice: node16 (consumer.mts + consumer.cts) and bundler (consumer.ts), strict, skipLibCheck off. */
function compileTypeScript(scenario, project) {
  const tscVersion = readJson(path.join(root, 'node_modules/typescript/package.json')).version;
  const common = {
    target: 'es2022',
    lib: ['es2022'],
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: false,
  };
  const configs = [
    {
      name: 'node16',
      files: ['consumer.mts', 'consumer.cts'],
      compilerOptions: { module: 'node16', moduleResolution: 'node16' },
      declarations: ['index.d.ts', 'index.d.cts'],
    },
    {
      name: 'bundler',
      files: ['consumer.ts'],
      compilerOptions: { module: 'esnext', moduleResolution: 'bundler' },
      declarations: ['index.d.ts'],
    },
  ];
  for (const config of configs) {
    check(
      `TypeScript ${tscVersion}, module/moduleResolution ${config.name === 'node16' ? 'node16' : 'esnext/bundler'} (${config.files.join(' + ')})`,
      () => {
        const tsconfig = `tsconfig.${config.name}.json`;
        writeFileSync(
          path.join(project, tsconfig),
          JSON.stringify({ compilerOptions: { ...common, ...config.compilerOptions }, files: config.files }, null, 2),
        );
        const result = run(process.execPath, [tscBin, '-p', tsconfig, '--listFiles'], project, { allowFailure: true, timeout: 120_000 });
        const lines = result.output.split('\n').map((line) => line.trim());
        const isListedFile = (line) => path.isAbsolute(line) && /\.[cm]?ts$/.test(line);
        const diagnostics = lines.filter((line) => line !== '' && !isListedFile(line));
        expect(
          !result.error && result.status === 0,
          `tsc -p ${tsconfig} failed (${result.error?.message ?? `exit ${result.status}`}):\n${diagnostics.join('\n')}`,
        );
        const listed = lines.filter(isListedFile).map((line) => path.normalize(line));
        const used = [];
        for (const name of scenario.installs) {
          const packageRoot = path.join(project, 'node_modules', name, 'dist');
          for (const declaration of config.declarations) {
            expect(listed.includes(path.join(packageRoot, declaration)), `tsc did not use ${name}/dist/${declaration}`);
          }
          if (config.name === 'bundler')
            expect(!listed.includes(path.join(packageRoot, 'index.d.cts')), `bundler resolution used ${name}/dist/index.d.cts`);
          used.push(`${name}/dist/{${config.declarations.join(',')}}`);
        }
        return `type-checks; declarations used: ${used.join(', ')}`;
      },
    );
  }
}

/**
 * The sdp-dispatch bin of the installed tarball, through npx. `--no` makes npx fail rather than fetch a
 * registry package of that name if the bin were missing; `--` keeps npx from reading --help itself.
 */
function checkCli(project, version) {
  const npx = ['--no', '--', 'sdp-dispatch'];
  check('npx --no -- sdp-dispatch --help', () => {
    const { stdout } = run('npx', [...npx, '--help'], project, { timeout: 60_000 });
    expect(/Usage:\s*\n\s*sdp-dispatch run/.test(stdout), `no usage in the output:\n${stdout}`);
    return `exit 0, "${stdout.trim().split('\n')[0]}"`;
  });
  check('npx --no -- sdp-dispatch --version', () => {
    const { stdout } = run('npx', [...npx, '--version'], project, { timeout: 60_000 });
    expect(stdout.trim() === version, `printed "${stdout.trim()}", the packed version is ${version}`);
    return stdout.trim();
  });
  check(`npx --no -- sdp-dispatch run workstreams --exec 'node -e 0' --json (3 workstream files)`, () => {
    const args = [...npx, 'run', 'workstreams', '--exec', 'node -e 0', '--checkpoint-dir', '.sdp/checkpoints', '--json'];
    const { stdout } = run('npx', args, project, { timeout: 120_000 });
    const report = JSON.parse(stdout.trim().split('\n').at(-1));
    expect(report.event === 'report' && report.outcome === 'completed', `last line is not a completed report:\n${stdout}`);
    expect(report.totals.completed === 3, `${report.totals.completed} of 3 workstreams completed`);
    return `${report.outcome}, ${report.results.map(({ id }) => id).join(' → ')}, checkpoint ${report.checkpoint?.kept ? 'kept' : 'removed'}`;
  });
}
