import { describe, expect, it } from 'vitest';
import { isBenefitPlan, parseLoftDate, parseMoney, parseOrderStatus, toOrder } from './parse.ts';

describe('LOFT value parsing', () => {
  it.each([
    ['1299.99', 1299.99],
    ['1,299.99', 1299.99],
    ['$1,299.99', 1299.99],
    [' 12.5 ', 12.5],
    ['-129.99', -129.99],
    [49, 49],
    ['0.1', 0.1],
    ['', undefined],
    ['abc', undefined],
    ['1.2.3', undefined],
    ['0x10', undefined],
    [null, undefined],
    [Number.NaN, undefined],
  ])('parseMoney(%j) = %j', (input, expected) => {
    expect(parseMoney(input)).toBe(expected);
  });

  it.each([
    ['2025-03-04', '2025-03-04'],
    ['2025-03-04T10:00:00', '2025-03-04'],
    ['2025-03-04 10:00:00', '2025-03-04'],
    ['3/4/2025', '2025-03-04'],
    ['', null],
    [null, null],
    ['0000-00-00', null],
    ['2025-02-30', undefined],
    ['soon', undefined],
  ])('parseLoftDate(%j) = %j', (input, expected) => {
    expect(parseLoftDate(input)).toBe(expected);
  });

  it('reads statuses as codes or words, and keeps unknown codes visible', () => {
    expect(parseOrderStatus('f')).toEqual({ code: 'F', label: 'Finalized' });
    expect(parseOrderStatus('Canceled')).toEqual({ code: 'C', label: 'Cancelled' });
    expect(parseOrderStatus('X')).toEqual({ code: 'P', label: 'Pending (LOFT status "X")' });
  });

  it('recognises benefit plans in any case', () => {
    expect(isBenefitPlan('5 YEAR BENEFIT PLAN')).toBe(true);
    expect(isBenefitPlan('3 year benefit  plan')).toBe(true);
    expect(isBenefitPlan('BENEFITPLAN-PREM')).toBe(true);
    expect(isBenefitPlan('Harbor Sofa')).toBe(false);
  });

  it('skips an order entry without id, date or total', () => {
    expect(toOrder({ orderid: '', status: 'F', orderdate: '2025-01-01', deliverydate: null, ordertotal: '1' })).toBeUndefined();
    expect(toOrder({ orderid: '1', status: 'F', orderdate: 'later', deliverydate: null, ordertotal: '1' })).toBeUndefined();
    expect(toOrder({ orderid: '1', status: 'F', orderdate: '2025-01-01', deliverydate: 'n/a', ordertotal: 'free' })).toBeUndefined();
    expect(toOrder({ orderid: '1', status: 'F', orderdate: '2025-01-01', deliverydate: 'n/a', ordertotal: '5' })).toMatchObject({ delivery_date: null });
  });
});
