// The layer rules of STYLE.md, checked in CI (`npm run lint:deps`).
module.exports = {
  forbidden: [
    {
      name: 'handover-is-pure',
      comment:
        'libs/handover is the domain: it imports xstate and nothing else (no Nest, TypeORM, BullMQ, node APIs).',
      severity: 'error',
      from: { path: '^libs/handover/' },
      to: {
        pathNot: ['^libs/handover/', 'node_modules/xstate/', 'node_modules/@xstate/', 'node_modules/@jest/'],
      },
    },
    {
      name: 'only-persistence-touches-typeorm',
      severity: 'error',
      from: { pathNot: ['^libs/persistence/'] },
      to: { path: 'node_modules/typeorm/' },
    },
    {
      name: 'sql-only-in-persistence-and-runtime',
      comment:
        'runtime creates databases and the queue schema at start; all other SQL goes through persistence.',
      severity: 'error',
      from: { pathNot: ['^libs/persistence/', '^libs/runtime/'] },
      to: { path: 'node_modules/pg/' },
    },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      from: { path: '^apps/(api|worker)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '(^dist/|\\.spec\\.ts$)' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
