// Loaded into a Baton under test (NODE_OPTIONS=--import=...): every name under .rebind.test resolves, one
// lookup after another, to 127.0.0.1 and then 127.0.0.2, as a DNS server does that rebinds its name between
// a client's check and its connection. Other names resolve as usual.
import dns from 'node:dns';
import dnsPromises from 'node:dns/promises';
import { syncBuiltinESMExports } from 'node:module';

const ANSWERS = ['127.0.0.1', '127.0.0.2'];
const lookups = new Map();
const rebinds = (hostname) => String(hostname).endsWith('.rebind.test');

function next(hostname) {
  const count = lookups.get(hostname) ?? 0;
  lookups.set(hostname, count + 1);
  return ANSWERS[count % ANSWERS.length];
}

const lookup = dns.lookup;
dns.lookup = function rebindingLookup(hostname, options, callback) {
  if (typeof options === 'function') [callback, options] = [options, {}];
  if (typeof options === 'number') options = { family: options };
  if (!rebinds(hostname)) return lookup.call(dns, hostname, options, callback);
  const address = next(hostname);
  process.nextTick(() =>
    options?.all ? callback(null, [{ address, family: 4 }]) : callback(null, address, 4),
  );
};

const lookupPromise = dnsPromises.lookup;
dnsPromises.lookup = async function rebindingLookupPromise(hostname, options = {}) {
  if (!rebinds(hostname)) return lookupPromise.call(dnsPromises, hostname, options);
  const address = next(hostname);
  return options?.all ? [{ address, family: 4 }] : { address, family: 4 };
};

syncBuiltinESMExports();
