// The evidence pack: the signed record of this handover for auditors, saved as JSON (the signed artefact)
// or as a PDF to read. Fetched with the bearer token and saved from memory: the token never goes into a URL.
import { useState } from 'react';
import { api, ok } from '../api/client';
import { useResource } from '../lib/store';
import { ProblemMessage } from '../ui/components';
import { useDeliverable } from './deliverable-context';

type Format = 'json' | 'pdf';

const ACCEPT: Record<Format, string> = { json: 'application/json', pdf: 'application/pdf' };

/** The file name the server gives (Content-Disposition), else one made from the id. */
function fileNameOf(response: Response, id: string, format: Format): string {
  const given = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1];
  return given ?? `evidence-pack-${id.slice(0, 8)}.${format}`;
}

function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; the object URL only holds memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function EvidenceSection() {
  const { deliverable } = useDeliverable();
  const keys = useResource('evidence-keys', () => ok(api.GET('/v1/evidence-keys')));
  const [busy, setBusy] = useState<Format | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<{ fileName: string; keyId?: string } | null>(null);

  const download = async (format: Format) => {
    setBusy(format);
    setError(null);
    try {
      const answer = await api.GET('/v1/deliverables/{id}/evidence-pack', {
        params: { path: { id: deliverable.id } },
        headers: { Accept: ACCEPT[format] },
        parseAs: 'blob',
      });
      const blob = await ok(Promise.resolve(answer));
      const fileName = fileNameOf(answer.response, deliverable.id, format);
      let keyId: string | undefined;
      if (format === 'json') {
        const pack = JSON.parse(await blob.text()) as { signature?: { keyId?: string } };
        keyId = pack.signature?.keyId;
      }
      save(blob, fileName);
      setSaved({ fileName, keyId });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  const currentKey = keys.data?.keys[0]?.kid;
  return (
    <section className="card section evidence" aria-labelledby="evidence-title">
      <h2 id="evidence-title" className="h3">
        Evidence pack
      </h2>
      <p className="small muted">
        The handover’s signed record for auditors: this deliverable, its service and project, and its whole
        audit history, signed with Ed25519.
      </p>
      <div className="evidence-buttons">
        <button
          type="button"
          className="button button-small"
          disabled={busy !== null}
          onClick={() => void download('json')}
        >
          {busy === 'json' ? 'Preparing…' : 'Download JSON'}
        </button>
        <button
          type="button"
          className="button button-small"
          disabled={busy !== null}
          onClick={() => void download('pdf')}
        >
          {busy === 'pdf' ? 'Preparing…' : 'Download PDF'}
        </button>
      </div>
      {currentKey ? (
        <p className="small evidence-key">
          <span className="muted">Signing key </span>
          <code title="The key id (RFC 7638 thumbprint) listed at /v1/evidence-keys">{currentKey}</code>
        </p>
      ) : null}
      {saved ? (
        <p className="small" role="status">
          Saved {saved.fileName}
          {saved.keyId ? (
            <>
              , signed by <code>{saved.keyId}</code>. Check it offline with <code>npm run verify-pack</code>.
            </>
          ) : (
            ': the signed JSON, laid out to read.'
          )}
        </p>
      ) : null}
      <ProblemMessage error={error} />
    </section>
  );
}
