/**
 * x labels for history points: "MM-DD", with "·2", "·3" for a second and third run on one day, and
 * "now" for the run being judged.
 */
export function runLabels(times: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return times.map((time) => {
    const day = /^\d{4}-(\d{2})-(\d{2})/.exec(time);
    const base = day ? `${day[1]}-${day[2]}` : '?';
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}·${count}`;
  });
}
