/**
 * The workbook an official downloads, fills in and uploads: the wide statistics layout the converter
 * reads (data/layouts/wide-statistics.json, docs/data-model.md "The wide statistics workbooks"),
 * generated from the vocabulary's indicators and the release's units, never made by hand, so it
 * always names exactly the units and indicators an upload of it will be checked against.
 */
import ExcelJS from 'exceljs';
import type { DatasetSpec } from '../convert/layout.js';
import { type Indicator, indicatorsOfTopic } from '../convert/indicators.js';
import { UnitDirectory } from '../convert/unit-directory.js';
import type { ReleaseUnit } from '../releases/release-units.js';

export type TemplateLang = 'tg' | 'ru' | 'en';

export interface TemplateOptions {
  /** The release's units (units.json). */
  units: ReleaseUnit[];
  /** The publisher's area: a region, a district-level unit or a jamoat-level unit. */
  area: string;
  /** The reference year of the figures asked for. */
  year: number;
  /** Several years side by side instead (oldest first); `year` is then ignored. */
  years?: number[];
  dataset: DatasetSpec;
  /** The indicators of the dataset's topic (others are left out). */
  indicators: Indicator[];
  lang: TemplateLang;
  /** Figures published now, keyed `unit|indicator|year`, written in so the official corrects rather than retypes. */
  current?: ReadonlyMap<string, number>;
}

/**
 * Header and totals texts: each must be one the layout accepts (codeHeaders, nameHeaders,
 * totalsLabels of data/layouts/wide-statistics.json); tests/template.test.ts reads a template back.
 */
const TEXT = {
  tg: {
    code: 'Рамз', name: 'Ҷамоат', total: 'Ҳамагӣ',
    langNames: { tg: 'Тоҷикӣ', ru: 'Русӣ', en: 'Англисӣ' },
    namesNote: 'Номҳои воҳид',
    codeNote: 'Рамзи воҳид. Онро тағйир надиҳед: рақамҳо ба воҳид аз рӯи рамз бахшида мешаванд. Агар рамз холӣ бошад, номи воҳид дар сутуни B кифоя аст.',
    howTo: 'Рақамҳоро дар катакҳои сафед ворид кунед: танҳо адад, бе формула. Катаки холӣ рақами ҳозир нашршударо нигоҳ медорад. Рамзҳои сутуни A-ро тағйир надиҳед; сатрҳои лозиманабударо метавон нест кард. Файлро ҳамчун .xlsx бор кунед.',
    errorTitle: 'Қимати нодуруст',
    integer: 'Адади бутуни на камтар аз 0 ворид кунед (бе формула).',
    decimal: 'Адади на камтар аз 0 ворид кунед (бе формула).',
    percent: 'Фоизро аз 0 то 100 ворид кунед (бе формула).',
  },
  ru: {
    code: 'Код', name: 'Джамоат', total: 'Итого',
    langNames: { tg: 'Таджикский', ru: 'Русский', en: 'Английский' },
    namesNote: 'Названия единицы',
    codeNote: 'Код единицы. Не меняйте его: цифры относятся к единице по коду. Если код пуст, достаточно названия единицы в столбце B.',
    howTo: 'Введите цифры в белые ячейки: только числа, без формул. Пустая ячейка сохраняет опубликованную сейчас цифру. Не меняйте коды в столбце A; ненужные строки можно удалить. Загрузите файл как .xlsx.',
    errorTitle: 'Недопустимое значение',
    integer: 'Введите целое число не меньше 0 (без формулы).',
    decimal: 'Введите число не меньше 0 (без формулы).',
    percent: 'Введите процент от 0 до 100 (без формулы).',
  },
  en: {
    code: 'Code', name: 'Jamoat', total: 'Total',
    langNames: { tg: 'Tajik', ru: 'Russian', en: 'English' },
    namesNote: 'Names of this unit',
    codeNote: 'The unit\'s code. Do not change it: figures go to the unit by its code. If the code is blank, the unit\'s name in column B is enough.',
    howTo: 'Type the figures in the white cells: numbers only, no formulas. A blank cell keeps the figure published now. Do not change the codes in column A; rows you do not need may be deleted. Upload the file as .xlsx.',
    errorTitle: 'Not a valid figure',
    integer: 'Type a whole number, 0 or more (no formula).',
    decimal: 'Type a number, 0 or more (no formula).',
    percent: 'Type a percentage from 0 to 100 (no formula).',
  },
} as const;

const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF9E9E9E' } };
const BORDER: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const FIXED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
/** Rows above the first unit: title, indicator headers, years (docs/data-model.md). */
const FIRST_UNIT_ROW = 4;

interface SheetPlan {
  district: ReleaseUnit;
  rows: ReleaseUnit[];
}

/** Generates the template workbook (XLSX bytes) for one publisher's area, dataset and year(s). */
export async function makeTemplate(opts: TemplateOptions): Promise<Buffer> {
  const directory = new UnitDirectory(opts.units);
  const indicators = indicatorsOfTopic(opts.indicators, opts.dataset.topic);
  if (indicators.length === 0) throw new Error(`no indicator of the topic ${JSON.stringify(opts.dataset.topic)} is given for dataset ${opts.dataset.id}`);
  const years = opts.years && opts.years.length > 0 ? [...opts.years] : [opts.year];
  for (const y of years) if (!Number.isInteger(y) || y < 1900 || y > 2100) throw new Error(`${y} is not a reference year`);

  const wb = new ExcelJS.Workbook();
  wb.creator = 'lg-open-data';
  wb.title = opts.dataset.title[opts.lang];
  wb.subject = `${opts.dataset.id} ${opts.area} ${years.join(', ')}`;
  const sheetNames = new Set<string>();
  for (const plan of sheetsFor(directory, opts.area)) {
    const name = uniqueSheetName(directory.nameOf(plan.district.code, opts.lang), sheetNames);
    addSheet(wb, name, plan, { ...opts, indicators, years, directory });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * One sheet per district-level unit in the area, holding its jamoat-level units that exist (the
 * layout's one row per jamoat). A district with no jamoat listed yet (design: about 97 are
 * missing) gets a row for itself, so its officials still have somewhere to put its figures.
 */
function sheetsFor(directory: UnitDirectory, area: string): SheetPlan[] {
  const top = directory.byCode.get(area);
  if (!top) throw new Error(`the area ${JSON.stringify(area)} is not the code of a published unit`);
  if (top.retiredOn !== null) throw new Error(`the area ${area} was retired on ${top.retiredOn}`);
  const exists = (u: ReleaseUnit) => u.retiredOn === null;
  const planFor = (district: ReleaseUnit): SheetPlan => {
    const jamoats = directory.childrenOf(district.code).filter((u) => u.level === 'jamoat' && exists(u));
    return { district, rows: jamoats.length > 0 ? jamoats : [district] };
  };
  if (top.level === 'jamoat') {
    const district = top.parent !== null ? directory.byCode.get(top.parent) : undefined;
    if (!district) throw new Error(`the jamoat ${area} has no district`);
    return [{ district, rows: [top] }];
  }
  if (top.level === 'district') return [planFor(top)];
  const districts: ReleaseUnit[] = [];
  const stack = [top];
  for (let u = stack.pop(); u !== undefined; u = stack.pop()) {
    for (const child of directory.childrenOf(u.code).filter(exists)) {
      if (child.level === 'district') districts.push(child);
      else if (child.level === 'region') stack.push(child);
    }
  }
  return districts.sort((a, b) => (a.code < b.code ? -1 : 1)).map(planFor);
}

/** Excel's sheet names: at most 31 characters, none of []:*?/\, unique regardless of case. */
function uniqueSheetName(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 31) || 'Sheet';
  let name = base;
  for (let k = 2; taken.has(name.toLowerCase()); k++) name = `${base.slice(0, 31 - String(k).length - 1)} ${k}`;
  taken.add(name.toLowerCase());
  return name;
}

function addSheet(
  wb: ExcelJS.Workbook,
  name: string,
  plan: SheetPlan,
  opts: TemplateOptions & { indicators: Indicator[]; years: number[]; directory: UnitDirectory },
): void {
  const { lang, years, indicators, directory } = opts;
  const t = TEXT[lang];
  // The code and name columns stay in view while the official scrolls through the figures.
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 2, ySplit: FIRST_UNIT_ROW - 1 }] });
  const colOf = (ii: number, yi: number) => 3 + ii * years.length + yi;
  const lastCol = 2 + indicators.length * years.length;

  ws.getColumn(1).width = 15;
  ws.getColumn(2).width = Math.min(40, Math.max(18, ...plan.rows.map((u) => directory.nameOf(u.code, lang).length + 2)));
  for (let c = 3; c <= lastCol; c++) ws.getColumn(c).width = years.length > 1 ? 12 : 18;

  const title = ws.getCell(1, 1);
  title.value = `${opts.dataset.title[lang]}: ${directory.nameOf(plan.district.code, lang)}, ${years.length > 1 ? `${years[0]}–${years.at(-1)}` : years[0]}`;
  title.font = { bold: true, size: 12 };
  title.alignment = { horizontal: 'left', vertical: 'middle' };
  title.note = t.howTo;
  if (lastCol > 1) ws.mergeCells(1, 1, 1, lastCol);
  ws.getRow(1).height = 24;

  const header = (row: number, col: number, value: string | number | null) => {
    const cell = ws.getCell(row, col);
    cell.value = value;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    return cell;
  };
  header(2, 1, t.code).note = t.codeNote;
  header(2, 2, t.name);
  header(3, 1, null);
  header(3, 2, null);
  ws.mergeCells(2, 1, 3, 1);
  ws.mergeCells(2, 2, 3, 2);
  indicators.forEach((ind, ii) => {
    // The layout allows the unit in parentheses after the label; the converter ignores it.
    const unit = ind.unitLabels[lang] ?? ind.unitLabels.en;
    header(2, colOf(ii, 0), `${ind.labels[lang] ?? ind.labels.en ?? ind.id}${unit ? ` (${unit})` : ''}`);
    for (let yi = 1; yi < years.length; yi++) header(2, colOf(ii, yi), null);
    if (years.length > 1) ws.mergeCells(2, colOf(ii, 0), 2, colOf(ii, years.length - 1));
    years.forEach((y, yi) => header(3, colOf(ii, yi), y));
  });
  ws.getRow(2).height = 48;

  plan.rows.forEach((unit, ri) => {
    const row = FIRST_UNIT_ROW + ri;
    const code = ws.getCell(row, 1);
    code.value = unit.code;
    code.fill = FIXED_FILL;
    code.border = BORDER;
    const nameCell = ws.getCell(row, 2);
    nameCell.value = directory.nameOf(unit.code, lang);
    nameCell.fill = FIXED_FILL;
    nameCell.border = BORDER;
    // The reader takes one name column; the unit's other names go in a note (design.md: no name invented, none left out).
    nameCell.note = [
      `${t.namesNote}:`,
      ...(['tg', 'ru', 'en'] as const).map((l) => `${t.langNames[l]}: ${unit.labels[l] ?? '—'}`),
      ...unit.altLabels.map((a) => `(${a})`),
    ].join('\n');
    indicators.forEach((ind, ii) => {
      years.forEach((y, yi) => {
        const cell = ws.getCell(row, colOf(ii, yi));
        cell.border = BORDER;
        cell.numFmt = ind.datatype === 'integer' ? '#,##0' : '#,##0.0##';
        cell.dataValidation = validationOf(ind, lang);
        const now = opts.current?.get(`${unit.code}|${ind.id}|${y}`);
        if (now !== undefined) cell.value = now;
      });
    });
  });

  // A blank row, then the totals the official can check against the district's own figures. The
  // reader skips the totals row (no code, a totals label), so its formulas are never taken as data.
  const totalRow = FIRST_UNIT_ROW + plan.rows.length + 1;
  const first = FIRST_UNIT_ROW;
  const last = FIRST_UNIT_ROW + plan.rows.length - 1;
  ws.getCell(totalRow, 2).value = t.total;
  indicators.forEach((ind, ii) => {
    years.forEach((_y, yi) => {
      const cell = ws.getCell(totalRow, colOf(ii, yi));
      // A share does not add up over jamoats: its total stays empty, as in the shipped workbooks.
      if (ind.max !== undefined) return;
      const letter = ws.getColumn(colOf(ii, yi)).letter;
      cell.value = { formula: `SUM(${letter}${first}:${letter}${last})` };
      cell.numFmt = ind.datatype === 'integer' ? '#,##0' : '#,##0.0##';
    });
  });
  for (let c = 1; c <= lastCol; c++) {
    const cell = ws.getCell(totalRow, c);
    cell.font = { bold: true };
    cell.border = BORDER;
  }
}

/** Excel's own check as the official types, with the converter's rule for the indicator, in their language. */
function validationOf(ind: Indicator, lang: TemplateLang): ExcelJS.DataValidation {
  const t = TEXT[lang];
  const common = { allowBlank: true, showErrorMessage: true, errorStyle: 'stop', errorTitle: t.errorTitle };
  if (ind.max !== undefined) return { ...common, type: 'decimal', operator: 'between', formulae: [0, ind.max], error: t.percent };
  if (ind.datatype === 'integer') return { ...common, type: 'whole', operator: 'greaterThanOrEqual', formulae: [0], error: t.integer };
  return { ...common, type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0], error: t.decimal };
}
