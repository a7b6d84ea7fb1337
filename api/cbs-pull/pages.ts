import type { DdasDeliveryV12 } from '../ddas-v12';

/** DDAS-VS.yaml's Paginering. */
export interface Paginering {
  pageSize: number;
  currentPage: number;
  totalPages: number;
  totalRecords: number;
}

export const MAX_PAGE_SIZE = 50_000;

/**
 * One page of a delivery. A record is one vroegsignaal or one vroegsignaalzaak; records keep their order (per
 * levering, its vroegsignalen, then its vroegsignaalzaken), and a page holds the leveringen that have records on it,
 * each with its own teller. A zaak refers to its vroegsignalen by ID, so it may sit on another page than they do:
 * CBS joins the pages. An empty delivery is one page with every levering and no records.
 */
export function deliveryPage(
  delivery: DdasDeliveryV12,
  page: number,
  pageSize: number,
): { gegevens: DdasDeliveryV12; paginering: Paginering } | null {
  const totalRecords = delivery.leveringen.reduce((n, l) => n + l.vroegsignalen.length + l.vroegsignaalzaken.length, 0);
  const totalPages = Math.max(1, Math.ceil(totalRecords / pageSize));
  if (page > totalPages) return null;
  const paginering = { pageSize, currentPage: page, totalPages, totalRecords };
  if (totalRecords === 0) return { gegevens: delivery, paginering };
  const first = (page - 1) * pageSize;
  const end = first + pageSize;
  let offset = 0;
  const leveringen: DdasDeliveryV12['leveringen'] = [];
  for (const levering of delivery.leveringen) {
    const signals = levering.vroegsignalen.length;
    const size = signals + levering.vroegsignaalzaken.length;
    const from = Math.max(first - offset, 0);
    const to = Math.min(end - offset, size);
    offset += size;
    if (from >= to) continue;
    leveringen.push({
      ...levering,
      vroegsignalen: levering.vroegsignalen.slice(Math.min(from, signals), Math.min(to, signals)),
      vroegsignaalzaken: levering.vroegsignaalzaken.slice(Math.max(from - signals, 0), Math.max(to - signals, 0)),
    });
  }
  return { gegevens: { ...delivery, leveringen }, paginering };
}
