import { applyDelta } from './counter-bounds';

describe('applyDelta', () => {
  it('applies a change that stays within the bounds, including reaching one', () => {
    expect(applyDelta(4, 1, { floor: 0, ceiling: 5 })).toEqual({ applied: true, value: 5 });
    expect(applyDelta(1, -1, { floor: 0, ceiling: 5 })).toEqual({ applied: true, value: 0 });
  });

  it('refuses a change that would cross the ceiling or the floor, keeping the value', () => {
    expect(applyDelta(5, 1, { ceiling: 5 })).toEqual({ applied: false, value: 5 });
    expect(applyDelta(0, -2, { floor: 0 })).toEqual({ applied: false, value: 0 });
  });

  it('lets a value already out of bounds move back towards them', () => {
    expect(applyDelta(8, -1, { ceiling: 5 })).toEqual({ applied: true, value: 7 });
    expect(applyDelta(-3, 1, { floor: 0 })).toEqual({ applied: true, value: -2 });
  });

  it('is unbounded without options', () => {
    expect(applyDelta(0, -7)).toEqual({ applied: true, value: -7 });
  });
});
