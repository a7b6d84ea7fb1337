import { deliveryPage } from '../../../api/cbs-pull/pages';
import type { DdasDeliveryV12 } from '../../../api/ddas-v12';

const signal = (ID: string) => ({ ID }) as DdasDeliveryV12['leveringen'][number]['vroegsignalen'][number];
const zaak = (matchingsdatum: string) =>
  ({ matchingsdatum, contactpogingen: [] }) as DdasDeliveryV12['leveringen'][number]['vroegsignaalzaken'][number];
const levering = (teller: number, gemeentecode: string, signals: string[], zaken: string[]) => ({
  teller,
  gemeentecode,
  aanleverendeOrganisatie: { naam: `Gemeente ${gemeentecode}` },
  vroegsignalen: signals.map(signal),
  vroegsignaalzaken: zaken.map(zaak),
});
const delivery = (leveringen: DdasDeliveryV12['leveringen']): DdasDeliveryV12 => ({
  startdatumLevering: '2027-03-01',
  einddatumLevering: '2027-03-31',
  aanleverdatumEnTijd: '2027-04-01T06:00:00Z',
  codeGegevensleverancier: 'BEREIK',
  leveringen,
});

describe('deliveryPage', () => {
  const two = delivery([levering(1, '0518', ['a', 'b', 'c'], ['z1']), levering(2, '0392', ['d'], ['z2', 'z3'])]);

  test('records run per levering, vroegsignalen before vroegsignaalzaken, across levering boundaries', () => {
    const pages = [1, 2, 3].map((page) => deliveryPage(two, page, 3)!);
    expect(pages.map((p) => p.paginering)).toEqual(
      [1, 2, 3].map((currentPage) => ({ pageSize: 3, currentPage, totalPages: 3, totalRecords: 7 })),
    );
    expect(pages[0]!.gegevens.leveringen).toEqual([levering(1, '0518', ['a', 'b', 'c'], [])]);
    expect(pages[1]!.gegevens.leveringen).toEqual([
      levering(1, '0518', [], ['z1']),
      levering(2, '0392', ['d'], ['z2']),
    ]);
    expect(pages[2]!.gegevens.leveringen).toEqual([levering(2, '0392', [], ['z3'])]);
    expect(deliveryPage(two, 4, 3)).toBeNull();
  });

  test('one page holds everything when it is large enough; the envelope is kept', () => {
    const page = deliveryPage(two, 1, 50_000)!;
    expect(page.gegevens).toEqual(two);
    expect(page.paginering).toEqual({ pageSize: 50_000, currentPage: 1, totalPages: 1, totalRecords: 7 });
  });

  test('an empty delivery is one page with its leveringen, so that it still has one', () => {
    const empty = delivery([levering(1, '0518', [], [])]);
    expect(deliveryPage(empty, 1, 10)).toEqual({
      gegevens: empty,
      paginering: { pageSize: 10, currentPage: 1, totalPages: 1, totalRecords: 0 },
    });
    expect(deliveryPage(empty, 2, 10)).toBeNull();
  });
});
