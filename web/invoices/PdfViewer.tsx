import { useState } from 'react';

/** A PDF to download, or to show in the page (the server sends it inline for the frame). */
export function PdfViewer({
  url,
  inlineUrl,
  title,
  labels,
}: {
  url: string;
  inlineUrl: string;
  title: string;
  labels: { download: string; show: string; hide: string };
}) {
  const [shown, setShown] = useState(false);
  return (
    <>
      <p className="workflow">
        <a className="button" href={url} download>
          {labels.download}
        </a>
        <button type="button" aria-expanded={shown} onClick={() => setShown(!shown)}>
          {shown ? labels.hide : labels.show}
        </button>
      </p>
      {shown && <iframe className="pdf-frame" src={inlineUrl} title={title} />}
    </>
  );
}
