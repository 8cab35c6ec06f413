/**
 * Numbers that follow these words are order, tracking, invoice or booking references,
 * which look like phone or card numbers but are not PII (hard negatives in the eval set).
 */
const REFERENCE_BEFORE =
  /(?:order|tracking|track|shipment|parcel|package|invoice|receipt|ref|reference|confirmation|booking|reservation|ticket|case|sku|serial|model|part|item|version|build|pedido|seguimiento|factura|commande|colis|facture|bestellung|sendung|rechnung|auftrag|bestellnummer|sendungsnummer|rechnungsnummer|auftragsnummer|kundennummer)(?:\s*(?:no\.?|nr\.?|n[°º]|num(?:ber|ero|éro)?|id|code|#))?\s*(?:is|es|est|ist)?\s*[:#]?\s*$/i;

const LOOKBEHIND = 40;

export function followsReferenceWord(text: string, start: number): boolean {
  return REFERENCE_BEFORE.test(text.slice(Math.max(0, start - LOOKBEHIND), start));
}
