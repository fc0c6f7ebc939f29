// Renders the run's results (benchmarks.json) as docs/BENCHMARKS.md. The analysis at the end is written
// by hand in bench/ANALYSIS.md (it names the run it was written from) and copied in as it is.
import { readFile } from 'node:fs/promises';

const GOALS = {
  commands: { text: 'ratio ≥ 0.6', met: (ratio) => ratio >= 0.6 },
  single: { text: 'ratio ≥ 0.45', met: (ratio) => ratio >= 0.45 },
  reads: { text: 'ratio ≥ 0.8', met: (ratio) => ratio >= 0.8 },
  probeCpu: { text: '≤ 2.5 × a command', met: (ratio) => ratio <= 2.5 },
  timers: { text: 'p99 ≤ 2 × raw', met: (ratio) => ratio <= 2 },
  timerCpu: { text: '≤ 1 ms', met: (ms) => ms <= 1 },
  memory: { text: '< 250 MB', met: (mib) => mib * 1.048576 < 250 },
  coldStart: { text: '≤ 4,000 ms', met: (ms) => ms <= 4000 },
  warmStart: { text: '≤ 2,500 ms', met: (ms) => ms <= 2500 },
};

const cpuTotal = (cpu) =>
  cpu ? Object.values(cpu).reduce((sum, ms) => sum + (Number.isFinite(ms) ? ms : 0), 0) : NaN;

export function fmt(value, unit = '') {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const abs = Math.abs(value);
  if (Number.isInteger(value)) return `${value.toLocaleString('en-US')}${unit}`;
  const text =
    abs >= 100
      ? Math.round(value).toLocaleString('en-US')
      : abs >= 10
        ? value.toFixed(1)
        : abs >= 1
          ? value.toFixed(2)
          : value.toPrecision(2);
  return `${text}${unit}`;
}

const range = (s, unit = '') => (s ? `${fmt(s.min, unit)}–${fmt(s.max, unit)}` : '–');
const yes = (met) => (met ? '**yes**' : '**no**');
const bytes = (value) => (value >= 1024 ? `${fmt(value / 1024)} KiB` : `${fmt(value)} B`);

/** "api 2.1 + worker 1.9 + postgres 0.5 + client 0.3 = 4.8 ms" from CPU ms per operation by process. */
export function cpuCell(cpu) {
  if (!cpu) return '–';
  const parts = Object.entries(cpu).filter(([, ms]) => Number.isFinite(ms));
  const total = parts.reduce((sum, [, ms]) => sum + ms, 0);
  return `${parts.map(([name, ms]) => `${name === 'bench' ? 'client' : name} ${fmt(ms)}`).join(' + ')} = **${fmt(total)}**`;
}

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function summaryRows(results) {
  const rows = [];
  const { parts } = results;
  const ratioSpread = (level) =>
    `ratio ${range({ min: Math.min(...level.ratioPerRound), max: Math.max(...level.ratioPerRound) })}; Baton ${range(level.baton)}; limit ${range(level.limit)}`;
  for (const level of parts.commands?.levels ?? []) {
    // The goal is set for 8 and 32 clients; one client is latency-bound (four round trips on two shared cores).
    const goal = level.concurrency >= 8;
    rows.push([
      `1. Commands, ${level.concurrency} client${level.concurrency > 1 ? 's' : ''} (per s)`,
      fmt(level.baton.median),
      `${fmt(level.limit.median)} (raw SQL)`,
      fmt(level.ratio),
      ratioSpread(level),
      goal ? GOALS.commands.text : 'none set',
      goal ? yes(GOALS.commands.met(level.ratio)) : '–',
    ]);
  }
  const single = parts.commands?.single;
  if (single) {
    rows.push([
      `1. Commands, \`npm start\` (api and worker in one process), ${single.concurrency} clients (per s)`,
      fmt(single.baton.median),
      `${fmt(single.limit.median)} (raw SQL)`,
      fmt(single.ratio),
      ratioSpread(single),
      GOALS.single.text,
      yes(GOALS.single.met(single.ratio)),
    ]);
  }
  for (const level of parts.reads?.levels ?? []) {
    rows.push([
      `2. Reads: GET a deliverable, ${level.concurrency} connection${level.concurrency > 1 ? 's' : ''} (per s)`,
      fmt(level.baton.median),
      `${fmt(level.limit.median)} (bare Nest GET reading the row)`,
      fmt(level.ratio),
      ratioSpread(level),
      GOALS.reads.text,
      yes(GOALS.reads.met(level.ratio)),
    ]);
  }
  for (const level of parts.jobs?.levels ?? []) {
    rows.push([
      '3. Jobs: probes end to end (per s)',
      fmt(level.baton.median),
      `${fmt(level.limit.median)} (BullMQ no-op)`,
      fmt(level.ratio),
      ratioSpread(level),
      'none set',
      '–',
    ]);
    const command = parts.commands?.levels.find((l) => l.concurrency === 8)?.cpuMsPerOperation.baton;
    if (command) {
      const probe = cpuTotal(level.cpuMsPerOperation.baton);
      const ratio = probe / cpuTotal(command);
      rows.push([
        '3. Jobs: CPU per probe end to end, to CPU per command (8 clients)',
        fmt(probe, ' ms'),
        `${fmt(cpuTotal(command), ' ms')} (a command)`,
        fmt(ratio),
        'a probe: the submit over HTTP, the probe job, its result as a command in the worker',
        GOALS.probeCpu.text,
        yes(GOALS.probeCpu.met(ratio)),
      ]);
    }
  }
  const timers = parts.timers;
  if (timers) {
    const allFired = timers.baton.fired >= timers.timers;
    rows.push([
      `4. Timers: lateness p99 (${fmt(timers.timers)} timers, ${fmt(timers.ratePerSecond)}/s)`,
      fmt(timers.baton.lateness.p99, ' ms'),
      `${fmt(timers.limit.lateness.p99, ' ms')} (BullMQ delayed)`,
      fmt(timers.ratioP99),
      `p50 ${fmt(timers.baton.lateness.p50, ' ms')} vs ${fmt(timers.limit.lateness.p50, ' ms')}; max ${fmt(timers.baton.lateness.max, ' ms')} vs ${fmt(timers.limit.lateness.max, ' ms')}${allFired ? '' : `; only ${timers.baton.fired} fired`}`,
      GOALS.timers.text,
      yes(allFired && GOALS.timers.met(timers.ratioP99)),
    ]);
    const light = timers.light;
    if (light) {
      rows.push([
        `4. Timers, light pass: lateness p99 (${fmt(light.timers)} timers, ${fmt(light.ratePerSecond)}/s)`,
        fmt(light.baton.lateness.p99, ' ms'),
        `${fmt(light.limit.lateness.p99, ' ms')} (BullMQ delayed)`,
        fmt(light.ratioP99),
        `p50 ${fmt(light.baton.lateness.p50, ' ms')} vs ${fmt(light.limit.lateness.p50, ' ms')}; max ${fmt(light.baton.lateness.max, ' ms')} vs ${fmt(light.limit.lateness.max, ' ms')}`,
        GOALS.timers.text,
        yes(light.baton.fired >= light.timers && GOALS.timers.met(light.ratioP99)),
      ]);
    }
    const perTimer = cpuTotal(timers.baton.cpuMsPerTimer);
    if (Number.isFinite(perTimer)) {
      rows.push([
        '4. Timers: CPU per timer fired (main pass)',
        fmt(perTimer, ' ms'),
        `${fmt(cpuTotal(timers.limit.cpuMsPerTimer), ' ms')} (raw BullMQ job)`,
        fmt(perTimer / cpuTotal(timers.limit.cpuMsPerTimer)),
        cpuCell(timers.baton.cpuMsPerTimer).replace(/\*\*/g, ''),
        GOALS.timerCpu.text,
        yes(GOALS.timerCpu.met(perTimer)),
      ]);
    }
  }
  const memory = parts.memory;
  if (memory) {
    for (const name of ['api', 'worker']) {
      const m = memory[name];
      rows.push([
        `5. Memory: ${name} RSS, peak under load`,
        fmt(m.peak * 1.048576, ' MB'),
        '250 MB (goal)',
        fmt((m.peak * 1.048576) / 250),
        `at rest ${fmt(m.rest.median * 1.048576, ' MB')}; median under commands ${fmt(m.commands.median * 1.048576, ' MB')}`,
        GOALS.memory.text,
        yes(GOALS.memory.met(m.peak)),
      ]);
    }
  }
  const start = parts.start;
  if (start) {
    rows.push([
      '6. Start: `npm start` cold',
      fmt(start.cold.wallMs, ' ms'),
      `${fmt(start.helloStartMs.median, ' ms')} (Nest hello)`,
      fmt(start.cold.wallMs / start.helloStartMs.median),
      `embedded PostgreSQL initdb ${fmt(start.cold.initdbMs, ' ms')}; Baton's own "ready in" ${fmt(start.cold.readyInMs, ' ms')}`,
      GOALS.coldStart.text,
      yes(GOALS.coldStart.met(start.cold.wallMs)),
    ]);
    rows.push([
      '6. Start: `npm start` warm',
      fmt(start.warm.wallMs.median, ' ms'),
      `${fmt(start.helloStartMs.median, ' ms')} (Nest hello)`,
      fmt(start.warm.wallMs.median / start.helloStartMs.median),
      `runs ${range(start.warm.wallMs, ' ms')}; "ready in" ${fmt(start.warm.readyInMs, ' ms')}`,
      GOALS.warmStart.text,
      yes(GOALS.warmStart.met(start.warm.wallMs.median)),
    ]);
  }
  return rows;
}

function levelTable(part, extra) {
  return table(
    [
      'concurrency',
      'Baton median',
      'Baton min–max',
      'limit median',
      'limit min–max',
      'ratio',
      'ratio per round',
      ...extra.map(([name]) => name),
    ],
    part.levels.map((level) => [
      String(level.concurrency),
      fmt(level.baton.median),
      range(level.baton),
      fmt(level.limit.median),
      range(level.limit),
      fmt(level.ratio),
      level.ratioPerRound.map((r) => fmt(r)).join(', '),
      ...extra.map(([, get]) => get(level)),
    ]),
  );
}

/** Commands and timers on a local Redis Cluster, beside the same figures on the run's single Redis. */
function clusterSection(single, cluster) {
  const out = ['## On a Redis Cluster', ''];
  if (cluster.skipped) return [...out, `Not run: ${cluster.skipped}.`, ''];
  out.push(
    `The commands and timers parts again, on a Redis Cluster of three masters started on this machine for the run (${cluster.redis}; ` +
      'append-only file, noeviction): an api and a worker with `BATON_REDIS_MODE=cluster` and a database of their own, the queue prefix in a hash tag, ' +
      "so every queue key (and the raw BullMQ limit's, in the same tag) is on the one master serving that slot. The cluster gives failover, not more throughput for one installation.",
    '',
  );
  const rows = [];
  const c = cluster.parts.commands;
  for (const level of c?.levels ?? []) {
    const beside = single.commands?.levels.find((l) => l.concurrency === level.concurrency);
    rows.push([
      `commands per second, ${clients(level.concurrency)} (ratio to raw SQL)`,
      beside ? `${fmt(beside.baton.median)} (${fmt(beside.ratio)})` : '–',
      `${fmt(level.baton.median)} (${fmt(level.ratio)})`,
    ]);
    rows.push([
      `command latency p50 / p99, ${clients(level.concurrency)}`,
      beside ? `${fmt(beside.batonLatencyMs.p50, ' ms')} / ${fmt(beside.batonLatencyMs.p99, ' ms')}` : '–',
      `${fmt(level.batonLatencyMs.p50, ' ms')} / ${fmt(level.batonLatencyMs.p99, ' ms')}`,
    ]);
  }
  const t = cluster.parts.timers;
  if (t) {
    const one = single.timers;
    const late = (l) => (l ? `${fmt(l.p50, ' ms')} / ${fmt(l.p99, ' ms')} / ${fmt(l.max, ' ms')}` : '–');
    rows.push(
      [
        `timers: Baton lateness p50 / p99 / max (${fmt(t.timers)} timers, ${fmt(t.ratePerSecond)}/s)`,
        late(one?.baton.lateness),
        late(t.baton.lateness),
      ],
      [
        'timers: Baton fired / due',
        one ? `${fmt(one.baton.fired)} / ${fmt(one.timers)}` : '–',
        `${fmt(t.baton.fired)} / ${fmt(t.timers)}`,
      ],
      ['timers: Baton fired per second', fmt(one?.baton.firedPerSecond), fmt(t.baton.firedPerSecond)],
      [
        'timers: raw BullMQ lateness p50 / p99 / max (the limit)',
        late(one?.limit.lateness),
        late(t.limit.lateness),
      ],
      [
        `timers, light pass: Baton / raw BullMQ lateness p99 (${fmt(t.light.ratePerSecond)}/s)`,
        one
          ? `${fmt(one.light.baton.lateness.p99, ' ms')} / ${fmt(one.light.limit.lateness.p99, ' ms')}`
          : '–',
        `${fmt(t.light.baton.lateness.p99, ' ms')} / ${fmt(t.light.limit.lateness.p99, ' ms')}`,
      ],
      ['timers: CPU ms per timer (Baton)', cpuCell(one?.baton.cpuMsPerTimer), cpuCell(t.baton.cpuMsPerTimer)],
    );
  }
  out.push(table(['figure', 'one Redis', 'Redis Cluster, 3 masters'], rows), '');
  return out;
}

function profileSection(name, profile) {
  const lines = [`### ${name}`, ''];
  for (const [process, summary] of Object.entries(profile)) {
    if (process === 'directory' || process === 'window') continue;
    lines.push(
      `**${process}**: ${fmt(summary.seconds)} s of load profiled, busy ${fmt(summary.busyPercent)} % of it; ` +
        `${fmt(summary.socketWritesPercent)} % of the busy samples were in socket writes (see above) and are left out; the shares below are of the rest.`,
      '',
    );
    const rows = [];
    for (let i = 0; i < 10; i++) {
      const self = summary.selfByPackage[i];
      const stack = summary.onStackByPackage[i];
      const baton = summary.batonOnStack?.[i];
      rows.push([
        self ? self.name : '',
        self ? `${fmt(self.percent)} %` : '',
        stack ? stack.name : '',
        stack ? `${fmt(stack.percent)} %` : '',
        baton ? `\`${baton.name.replace(/\|/g, '\\|')}\`` : '',
        baton ? `${fmt(baton.percent)} %` : '',
      ]);
    }
    lines.push(
      table(
        ['self time in', 'share', 'on the stack', 'share', "Baton's functions on the stack", 'share'],
        rows,
      ),
      '',
    );
    lines.push(
      table(
        ['top functions by self time', 'share'],
        summary.topFunctions
          .slice(0, 10)
          .map((f) => [`\`${f.name.replace(/\|/g, '\\|')}\``, `${fmt(f.percent)} %`]),
      ),
      '',
    );
  }
  return lines.join('\n');
}

const CPU_NOTE =
  'CPU time per operation, from /proc/<pid>/stat over each round (median of rounds): the api and worker processes, the PostgreSQL backends serving them ' +
  '(by application_name; not the WAL writer or checkpointer), and the bench process driving the load (the HTTP client, or `pg` for raw SQL). It is steadier than throughput on a shared machine.';

export async function renderMarkdown(results) {
  const { machine, load, parts, config } = results;
  const out = [];
  out.push('# Benchmarks', '');
  out.push(
    `Generated by \`npm run bench\` (bench/run.mjs) on ${results.finishedAt.slice(0, 16).replace('T', ' ')} UTC in ${fmt(results.seconds)} s, mode **${config.mode}**. ` +
      'These machines are shared and noisy, so every Baton figure is paired with a limit measured in the same run on the same ' +
      'machine and judged as a ratio: raw SQL for the same unit of work, a bare Nest hello endpoint on the same adapter, raw BullMQ. ' +
      'Each throughput is the median of ' +
      `${config.rounds} rounds of ${fmt(config.roundMs / 1000)} s, Baton and limit alternating which goes first, after a ${fmt(config.warmupMs / 1000)} s warm-up. ` +
      'Do not edit this page by hand: change bench/ (the analysis lives in bench/ANALYSIS.md) and run `npm run bench`.',
    '',
  );
  if (results.kept)
    out.push(
      `This run measured ${Object.keys(parts)
        .filter((name) => !results.kept.parts.includes(name))
        .join(
          ', ',
        )} only: ${results.kept.parts.join(', ')} are from the run of ${results.kept.from.slice(0, 16).replace('T', ' ')} UTC.`,
      '',
    );
  out.push('## Machine', '');
  out.push(
    table(
      [
        'cores',
        'model',
        'memory',
        'Node',
        'PostgreSQL',
        'Redis',
        'load average before → after (1, 5, 15 min)',
        'code',
      ],
      [
        [
          String(machine.cores),
          machine.model,
          `${machine.memoryGiB} GiB`,
          machine.node,
          machine.postgres,
          machine.redis,
          `${load.before.join(' / ')} → ${load.after.join(' / ')}`,
          machine.commit ?? '–',
        ],
      ],
    ),
    '',
    `PostgreSQL settings: ${Object.entries(machine.postgresSettings)
      .map(([k, v]) => `${k}=${v}`)
      .join(
        ', ',
      )}; Redis append-only file ${machine.redisAppendOnly ? 'on' : 'off'}; services: ${machine.services}. ` +
      'Load generators run in the bench process on the same two cores as Baton, PostgreSQL and Redis.',
    '',
  );
  out.push('## Summary', '');
  out.push(
    table(
      ['pair', 'Baton (median)', 'limit (median)', 'ratio', 'spread', 'goal', 'met'],
      summaryRows(results),
    ),
    '',
  );
  out.push(
    'Ratios: throughput is Baton ÷ limit (higher is better); timer lateness is Baton p99 ÷ raw p99 and memory is peak ÷ 250 MB (lower is better). MB = 10⁶ bytes.',
    '',
  );

  if (parts.commands) {
    const c = parts.commands;
    out.push('## 1. Commands', '');
    out.push(
      'Baton: `POST /v1/deliverables/:id/hold` and `/resume` alternately, each client on a deliverable of its own, through the api process ' +
        '(authentication, the pure XState transition, the audit hash, ONE SQL statement: versioned UPDATE + audit INSERT + outbox INSERT + NOTIFY), ' +
        'with the worker (a separate process) relaying each status-change event from the outbox (no webhook subscribes and e-mail is off here, so the relay marks the row finished without a BullMQ job). ' +
        'Limit: the same unit of work as raw SQL through `pg`, one transaction per command (BEGIN; versioned UPDATE of the row with the same snapshot JSON; ' +
        "INSERT of the audit event; INSERT of the outbox row; COMMIT), prepared statements, one connection per client, on copies of Baton's tables " +
        '(`CREATE TABLE raw.x (LIKE public.x INCLUDING ALL)`, same indexes) in the same database.',
      '',
    );
    out.push(
      levelTable(c, [
        [
          'Baton latency p50 / p99',
          (l) => `${fmt(l.batonLatencyMs.p50, ' ms')} / ${fmt(l.batonLatencyMs.p99, ' ms')}`,
        ],
        ['outbox rows unpublished at round end', (l) => l.outboxBacklogAfterRound.join(', ')],
      ]),
      '',
    );
    out.push(CPU_NOTE, '');
    out.push(
      table(
        ['concurrency', 'Baton CPU ms per command', 'raw SQL CPU ms per command'],
        c.levels.map((l) => [
          String(l.concurrency),
          cpuCell(l.cpuMsPerOperation.baton),
          cpuCell(l.cpuMsPerOperation.limit),
        ]),
      ),
      '',
    );
    const d = c.decomposition;
    if (d) {
      out.push(
        `Where the gap is, at ${d.concurrency} clients: Baton's own command path (\`HandoverCommands\` over the \`DeliverableStore\` and \`TimerStore\` statements, the same domain code and SQL) ` +
          'run in the bench process on a plain `pg` pool, without HTTP, Nest, authentication or TypeORM; then the same with every statement prepared (named by a hash of its text). ' +
          'In these rows "client" is that in-process command path. The worker still relays every event.',
        '',
      );
      out.push(
        table(
          ['variant', 'commands per second', 'ratio to raw SQL', 'CPU ms per command'],
          [
            [
              'HTTP (the api process)',
              fmt(d.http.perSecond),
              fmt(d.http.perSecond / d.raw.perSecond),
              cpuCell(d.http.cpuMsPerOperation),
            ],
            [
              'command path on `pg`, no HTTP',
              fmt(d.core.perSecond),
              fmt(d.core.perSecond / d.raw.perSecond),
              cpuCell(d.core.cpuMsPerOperation),
            ],
            [
              '… with prepared statements',
              fmt(d.corePrepared.perSecond),
              fmt(d.corePrepared.perSecond / d.raw.perSecond),
              cpuCell(d.corePrepared.cpuMsPerOperation),
            ],
            ['raw SQL', fmt(d.raw.perSecond), '1', cpuCell(d.raw.cpuMsPerOperation)],
          ],
        ),
        '',
      );
    }
    const one = c.single;
    if (one) {
      out.push(
        `\`npm start\`'s shape: the same cycles at ${one.concurrency} clients through \`dist/apps/baton\`, the api and the worker in one process (its queues under a prefix of its own), against the raw SQL unit in the same rounds.`,
        '',
        table(
          [
            'concurrency',
            'Baton median',
            'limit median',
            'ratio',
            'ratio per round',
            'Baton CPU ms per command',
          ],
          [
            [
              String(one.concurrency),
              fmt(one.baton.median),
              fmt(one.limit.median),
              fmt(one.ratio),
              one.ratioPerRound.map((r) => fmt(r)).join(', '),
              cpuCell(one.cpuMsPerOperation.baton),
            ],
          ],
        ),
        '',
      );
    }
  }
  if (parts.reads) {
    out.push('## 2. Reads', '');
    out.push(
      "Baton: `GET /v1/deliverables/:id` with a bearer token (authentication, the row read, its handover (restored only for a version the process does not hold), presentation with the caller's allowed actions, ETag). " +
        `Limit: a bare NestJS app on @nestjs/platform-fastify answering \`GET /row/:id\` with the same deliverable's row, read by primary key through a \`pg\` pool (one prepared query): the cheapest GET that reads the row at all (bench/lib/hello-app.mjs, peak RSS ${fmt(parts.reads.helloRssMiB * 1.048576, ' MB')}). Both driven by autocannon 9, keep-alive, no pipelining.`,
      '',
    );
    out.push(
      levelTable(parts.reads, [
        [
          'Baton latency p50 / p99',
          (l) => `${fmt(l.batonLatencyMs.p50, ' ms')} / ${fmt(l.batonLatencyMs.p99, ' ms')}`,
        ],
      ]),
      '',
    );
    out.push(
      'For reference (not the goal\'s limit): the same bare app answering `GET /hello` with `{"hello":"world"}`, which reads nothing.',
      '',
    );
    out.push(
      table(
        [
          'concurrency',
          'Baton CPU ms per request',
          'Nest + pg row CPU ms per request',
          'hello: per second',
          'Baton ÷ it',
          'its CPU ms per request',
        ],
        parts.reads.levels.map((l) => [
          String(l.concurrency),
          cpuCell(l.cpuMsPerOperation.baton),
          cpuCell(l.cpuMsPerOperation.limit),
          fmt(l.helloReference?.perSecond.median),
          fmt(l.helloReference?.ratio),
          cpuCell(l.helloReference?.cpuMsPerOperation),
        ]),
      ),
      '',
    );
  }
  if (parts.jobs) {
    const level = parts.jobs.levels[0];
    out.push('## 3. Jobs', '');
    out.push(
      `Baton: ${level.perRound} deliverables per round whose checklist has one mandatory automated criterion with a \`probeUrl\` on a local HTTP server; ` +
        `they are submitted over HTTP by ${config.jobProducers} clients; each submit commits a probe job to the outbox, the worker relays it, the probe processor GETs the URL and ` +
        'reports the result as a command (ONE statement again), which also moves the deliverable to acceptance. Throughput is deliverables from the first submit request to the last ' +
        'result committed; latency is the audit event `result` minus the audit event `submit`. Limit: the same number of raw BullMQ jobs added by the same number of producers and ' +
        "run by a no-op Worker in a process of its own with the concurrency of Baton's worker.",
      '',
    );
    out.push(
      levelTable(parts.jobs, [
        [
          'latency p50 / p99 Baton',
          (l) => `${fmt(l.batonLatencyMs.p50, ' ms')} / ${fmt(l.batonLatencyMs.p99, ' ms')}`,
        ],
        [
          'latency p50 / p99 raw',
          (l) => `${fmt(l.limitLatencyMs.p50, ' ms')} / ${fmt(l.limitLatencyMs.p99, ' ms')}`,
        ],
      ]),
      '',
    );
    out.push(
      table(
        ['', 'CPU ms per probe (Baton) / per job (raw)'],
        [
          ['Baton', cpuCell(level.cpuMsPerOperation.baton)],
          ['raw BullMQ', cpuCell(level.cpuMsPerOperation.limit)],
        ],
      ),
      '',
    );
  }
  if (parts.timers) {
    const t = parts.timers;
    out.push('## 4. Timers at scale', '');
    out.push(
      `Scale used: **BENCH_SCALE=${t.scale}** of the issue's 100k deliverables and 300k timers: ${fmt(t.deliverables)} deliverables in readiness with ${fmt(t.timers)} pending ` +
        `readiness-reminder timers, due evenly over ${t.windowSeconds} s (${fmt(t.ratePerSecond)} per second; the issue's 300k over three minutes would be ${fmt(t.issueRatePerSecond)} per second). ` +
        'One deliverable is made and submitted over HTTP; the rest are cloned from it in SQL (row, criteria, audit events) and their timer rows, published outbox rows and ' +
        "BullMQ delayed jobs are written directly (the jobs through Baton's own `publishRows`, as the relay would), because making them over HTTP does not fit the 10-minute budget. " +
        'Firing goes through the real worker and the command path: the timer job loads the deliverable with its timer in one query, the machine takes TIMER_DUE (a notice: no new version, no audit event), and one statement marks the timer sent and writes the reminder event, finished at once since no webhook subscribes here (no relay pass, no event job). Lateness is `sent_at − due_at`; for raw BullMQ, `processedOn −` due time, ' +
        "with the same job options, payload shape and due-time spread, run by a no-op Worker of the same concurrency, in its own window before Baton's. " +
        "A light pass then does the same with fewer timers per second (BENCH_TIMER_LIGHT_RATE), to tell lateness below Baton's capacity from a backlog.",
      '',
    );
    out.push(
      table(
        [
          '',
          'fired',
          'lateness p50',
          'p99',
          'max',
          'fired per second (first due to last fired)',
          'jobs published after their due time',
        ],
        [
          [
            'Baton',
            `${fmt(t.baton.fired)} / ${fmt(t.timers)}`,
            fmt(t.baton.lateness.p50, ' ms'),
            fmt(t.baton.lateness.p99, ' ms'),
            fmt(t.baton.lateness.max, ' ms'),
            fmt(t.baton.firedPerSecond),
            String(t.baton.publishedLate),
          ],
          [
            'raw BullMQ',
            `${fmt(t.limit.fired)} / ${fmt(t.timers)}`,
            fmt(t.limit.lateness.p50, ' ms'),
            fmt(t.limit.lateness.p99, ' ms'),
            fmt(t.limit.lateness.max, ' ms'),
            fmt(t.limit.firedPerSecond),
            String(t.limit.publishedLate),
          ],
          ...(t.light
            ? [
                [
                  `Baton, light pass (${fmt(t.light.ratePerSecond)}/s over ${t.light.windowSeconds} s)`,
                  `${fmt(t.light.baton.fired)} / ${fmt(t.light.timers)}`,
                  fmt(t.light.baton.lateness.p50, ' ms'),
                  fmt(t.light.baton.lateness.p99, ' ms'),
                  fmt(t.light.baton.lateness.max, ' ms'),
                  fmt(t.light.baton.firedPerSecond),
                  String(t.light.baton.publishedLate),
                ],
                [
                  'raw BullMQ, light pass',
                  `${fmt(t.light.limit.fired)} / ${fmt(t.light.timers)}`,
                  fmt(t.light.limit.lateness.p50, ' ms'),
                  fmt(t.light.limit.lateness.p99, ' ms'),
                  fmt(t.light.limit.lateness.max, ' ms'),
                  fmt(t.light.limit.firedPerSecond),
                  String(t.light.limit.publishedLate),
                ],
              ]
            : []),
        ],
      ),
      '',
    );
    out.push(
      table(
        ['', 'CPU ms per timer fired (main pass)'],
        [
          ['Baton', cpuCell(t.baton.cpuMsPerTimer)],
          ['raw BullMQ', cpuCell(t.limit.cpuMsPerTimer)],
        ],
      ),
      '',
    );
    out.push('Storage:', '');
    out.push(
      table(
        ['', 'bytes'],
        [
          [
            'PostgreSQL per deliverable (deliverables + deliverable_criteria + audit_events, with indexes and TOAST)',
            bytes(t.baton.postgres.bytesPerDeliverable),
          ],
          [
            'PostgreSQL per timer (timers row + its outbox row, with indexes)',
            bytes(t.baton.postgres.bytesPerTimer),
          ],
          [
            'Redis per pending timer, Baton (job hash + share of the queue keys, MEMORY USAGE)',
            bytes(t.baton.redis.perTimer),
          ],
          [
            'Redis per pending timer, Baton (INFO used_memory delta; shared Redis, noisy)',
            bytes(t.baton.redis.infoDeltaPerTimer),
          ],
          ['Redis per delayed job, raw BullMQ (MEMORY USAGE)', bytes(t.limit.redis.perTimer)],
          [
            'Redis per delayed job, raw BullMQ (INFO used_memory delta)',
            bytes(t.limit.redis.infoDeltaPerTimer),
          ],
        ],
      ),
      '',
      `Set-up times: clone ${fmt(t.baton.setupSeconds.clone, ' s')}, timer and outbox rows ${fmt(t.baton.setupSeconds.timerRows, ' s')}, publishing the delayed jobs ${fmt(t.baton.setupSeconds.publish, ' s')} (raw: ${fmt(t.limit.publishSeconds, ' s')}). ` +
        "Per-deliverable PostgreSQL bytes include a clone's audit events (create and submit); at 100k deliverables and 300k timers multiply accordingly.",
      '',
    );
  }
  if (parts.memory) {
    const m = parts.memory;
    out.push('## 5. Memory', '');
    out.push(
      'The api and the worker run as separate processes (`dist/apps/api`, `dist/apps/worker`); VmRSS from /proc/<pid>/status every 250 ms, by phase. MB = 10⁶ bytes.',
      '',
    );
    const row = (name) => {
      const e = m[name];
      const cell = (s) => (s && s.n ? `${fmt(s.median * 1.048576)} / ${fmt(s.max * 1.048576)}` : '–');
      return [
        name,
        cell(e.rest),
        cell(e.commands),
        cell(e.reads),
        cell(e.jobs),
        cell(e.timers),
        fmt(e.peak * 1.048576),
        yes(GOALS.memory.met(e.peak)),
      ];
    };
    out.push(
      table(
        [
          'process',
          'at rest (median / max MB)',
          'commands',
          'reads',
          'probes',
          'timers',
          'peak MB',
          '< 250 MB',
        ],
        [row('api'), row('worker')],
      ),
      '',
    );
  }
  if (parts.start) {
    const s = parts.start;
    out.push('## 6. Start', '');
    out.push(
      '`npm start` (which builds first, then runs api and worker in one process) with BATON_DATA_DIR empty and no DATABASE_URL, so the embedded PostgreSQL initialises a cluster; ' +
        'then again on the same folder (warm). Wall time from spawning `npm start` to the "listening on" line; "ready in" is what Baton reports from its own start.',
      '',
    );
    out.push(
      table(
        ['', 'wall time', 'Baton "ready in"', 'infrastructure ready', 'initdb'],
        [
          [
            'cold',
            fmt(s.cold.wallMs, ' ms'),
            fmt(s.cold.readyInMs, ' ms'),
            fmt(s.cold.infrastructureMs, ' ms'),
            fmt(s.cold.initdbMs, ' ms'),
          ],
          ...s.warm.runs.map((w, i) => [
            `warm ${i + 1}`,
            fmt(w.wallMs, ' ms'),
            fmt(w.readyInMs, ' ms'),
            fmt(w.infrastructureMs, ' ms'),
            '–',
          ]),
          ['Nest hello app (median of 3)', fmt(s.helloStartMs.median, ' ms'), '–', '–', '–'],
        ],
      ),
      '',
    );
  }
  if (parts.profile && !parts.profile.skipped) {
    out.push('## Profiles', '');
    out.push(
      'Fresh api and worker processes run under `node --cpu-prof` (1 ms sampling) for each load below, and only the samples taken during the load count (not the start); ' +
        "the `.cpuprofile` files stay in the run's artefacts folder (its path is in benchmarks.json; open them in Chrome DevTools). Self time goes to the package whose code ran " +
        '(built-ins such as JSON.parse count towards their caller), "on the stack" is the share of busy samples in which the package appears at all. ' +
        'The profiler samples wall-clock time: socket writes (`writev`, `writeBuffer`: queries to PostgreSQL, commands to Redis, responses) also collect the time a process ' +
        'sits descheduled after waking its peer on these two shared cores, so they are counted apart and left out of the shares; the CPU-time tables above are the CPU. ' +
        '"On the stack" counts the synchronous part of a stack only: an `await` ends it.',
      '',
    );
    const k = parts.profile.components;
    if (k) {
      out.push("### The domain's share, per call", '');
      out.push(
        `Measured in the bench process on a stored snapshot of ${fmt(k.snapshotBytes)} bytes (a deliverable in ${k.status}), µs per call. ` +
          'A command restores the stored snapshot at most once (not at all when the process holds that version in its handover cache), judges and applies it, ' +
          'and the answer is presented from the committed outcome: no second restore. A GET restores only a version the process does not hold. ' +
          'The functions below are the exported one-call forms, each restoring for itself.',
        '',
      );
      out.push(
        table(
          [
            'restoreHandover',
            'describeHandover',
            'allowedActions',
            `applyCommand (${k.command})`,
            'auditHash',
            'presentDeliverable',
            'JSON.stringify of the response',
          ],
          [
            [
              fmt(k.restoreHandover),
              fmt(k.describeHandover),
              fmt(k.allowedActions),
              fmt(k.applyCommand),
              fmt(k.auditHash),
              fmt(k.presentDeliverable),
              `${fmt(k.stringifyResponse)} (${fmt(k.responseBytes)} bytes)`,
            ],
          ],
        ),
        '',
      );
    }
    if (parts.profile.commands)
      out.push(profileSection('Commands (hold/resume, 8 clients)', parts.profile.commands), '');
    if (parts.profile.reads)
      out.push(profileSection('Reads (GET a deliverable, 32 connections)', parts.profile.reads), '');
    if (parts.profile.jobs) out.push(profileSection('Probes end to end', parts.profile.jobs), '');
  }
  if (results.cluster) out.push(...clusterSection(parts, results.cluster));
  const analysis = await readFile(new URL('../ANALYSIS.md', import.meta.url), 'utf8').catch(() => null);
  if (analysis && config.mode === 'full') out.push(analysis.trim(), '');
  out.push('## Running it', '');
  out.push(
    '```sh\nnpm run bench              # full run, under 10 minutes on 2 cores: writes docs/BENCHMARKS.md and docs/benchmarks.json\n' +
      'npm run bench:smoke        # every part at a tiny scale, no timing assertions, output in a temporary folder (CI)\n' +
      'BENCH_SCALE=0.2 BENCH_TIMER_WINDOW_S=90 npm run bench   # timers: fraction of 100k deliverables / 300k timers, firing window\n' +
      'npm run bench -- --only commands,reads --out /tmp/b     # some parts only, elsewhere\n' +
      'npm run bench -- --only commands,timers --no-cluster    # without the Redis Cluster run\n```',
    '',
    'PostgreSQL and Redis come from DATABASE_URL / REDIS_URL, else 127.0.0.1:5432 and 127.0.0.1:6379, else the embedded default; the run uses a fresh database ' +
      'and a private queue prefix and removes both at the end.',
    '',
  );
  return out.join('\n');
}

function clients(count) {
  return `${count} client${count === 1 ? '' : 's'}`;
}
