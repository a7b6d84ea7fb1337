import { inflateSync } from 'node:zlib';

/**
 * Just enough PDF parsing to read back what pdfkit wrote: inflate streams, map font resources to their
 * ToUnicode CMaps and decode the hex strings of TJ/Tj operators. One string per text-showing operator.
 */
export function extractPdfText(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; stream: Buffer | null }>();
  for (const m of raw.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
    const body = m[2];
    const s = body.indexOf('stream');
    if (s < 0) {
      objects.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, s);
    const start = body.indexOf('\n', s) + 1;
    const end = body.lastIndexOf('endstream');
    let data = Buffer.from(body.slice(start, end).replace(/\r?\n$/, ''), 'latin1');
    if (/\/FlateDecode/.test(dict)) data = inflateSync(data);
    objects.set(Number(m[1]), { dict, stream: data });
  }

  const cmaps = new Map<number, Map<number, string>>(); // font object → code → text
  for (const [id, obj] of objects) {
    const ref = /\/ToUnicode (\d+) 0 R/.exec(obj.dict);
    const cmapObj = ref && objects.get(Number(ref[1]));
    if (!cmapObj?.stream) continue;
    const map = new Map<number, string>();
    for (const r of cmapObj.stream.toString('latin1').matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
      const first = parseInt(r[1], 16);
      [...r[3].matchAll(/<([0-9a-f ]+)>/gi)].forEach((d, i) =>
        map.set(first + i, String.fromCharCode(...d[1].split(' ').map((h) => parseInt(h, 16)))),
      );
    }
    cmaps.set(id, map);
  }
  const fontByName = new Map<string, number>();
  for (const obj of objects.values()) {
    const fonts = /\/Font\s*<<([\s\S]*?)>>/.exec(obj.dict);
    if (fonts) for (const f of fonts[1].matchAll(/\/(\w+) (\d+) 0 R/g)) fontByName.set(f[1], Number(f[2]));
  }

  const out: string[] = [];
  for (const obj of objects.values()) {
    if (!obj.stream || !/BT/.test(obj.stream.toString('latin1'))) continue;
    let font: Map<number, string> | undefined;
    for (const op of obj.stream
      .toString('latin1')
      .matchAll(/\/(\w+) [\d.]+ Tf|\[((?:<[0-9a-f]*>|[\s\d.-])*)\] TJ|<([0-9a-f]*)> Tj/gi)) {
      if (op[1]) {
        const id = fontByName.get(op[1]);
        font = id === undefined ? undefined : cmaps.get(id);
        continue;
      }
      const hexes = op[2] !== undefined ? [...op[2].matchAll(/<([0-9a-f]*)>/gi)].map((h) => h[1]) : [op[3]];
      const width = font ? 4 : 2; // embedded fonts use 2-byte glyph IDs; standard fonts 1-byte WinAnsi
      out.push(
        hexes
          .map((hex) => {
            let s = '';
            for (let i = 0; i < hex.length; i += width) {
              const code = parseInt(hex.slice(i, i + width), 16);
              s += font ? (font.get(code) ?? '\ufffd') : String.fromCharCode(code);
            }
            return s;
          })
          .join(''),
      );
    }
  }
  return out;
}
