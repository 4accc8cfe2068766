/**
 * The grid cells to look in for places within `metres` of a point, as the SQL function
 * search_cells_near (migration 0080) gives them. Worked out here so that the search statement
 * takes them as a parameter: the planner then does not run the plpgsql function on every search.
 * Any set of cells that covers the circle gives the same results (the distance is checked after),
 * so the last-digit differences of JavaScript's and C's sine do not matter; the margins are kept.
 */
const EARTH_RADIUS = 6378168; // earthdistance's earth()
const RADIANS_PER_DEGREE = Math.PI / 180;

/** The cells at a level covering a latitude and longitude range; null when that takes more than `most`. */
function cellsCovering(south: number, north: number, west: number, east: number, level: number, most: number | null): number[] | null {
  const tall = 0.02 * 2 ** level;
  const wide = 0.03 * 2 ** level;
  const [rowFrom, rowTo] = [Math.floor((south + 90) / tall), Math.floor((north + 90) / tall)];
  const [colFrom, colTo] = [Math.floor((west + 180) / wide), Math.floor((east + 180) / wide)];
  if (most !== null && (rowTo - rowFrom + 1) * (colTo - colFrom + 1) > most) return null;
  const cells: number[] = [];
  for (let r = rowFrom; r <= rowTo; r++) for (let c = colFrom; c <= colTo; c++) cells.push(level * 200000000 + r * 20000 + c);
  return cells;
}

export function searchCellsNear(latitude: number, longitude: number, metres: number): number[] {
  const arc = (metres / EARTH_RADIUS) * 1.0001 + 1e-9; // radians of a great circle, with a margin
  const south = latitude - arc / RADIANS_PER_DEGREE;
  const north = latitude + arc / RADIANS_PER_DEGREE;
  if (arc >= Math.PI / 2 || south <= -90 || north >= 90) return [-1];
  // The widest difference in longitude of a point within the arc (the circle holds no pole).
  const reach = Math.asin(Math.min(1, Math.sin(arc) / Math.cos(latitude * RADIANS_PER_DEGREE))) / RADIANS_PER_DEGREE + 1e-9;
  const [west, east] = [longitude - reach, longitude + reach];
  if (west < -180 || east >= 180) return [-1];
  for (let level = 0; level <= 5; level++) {
    const found = cellsCovering(south, north, west, east, level, level < 5 ? 36 : 400);
    if (found) {
      for (let above = level + 1; above <= 5; above++) found.push(...cellsCovering(south, north, west, east, above, null)!.map((c) => -10 - c));
      return [...found, -2];
    }
  }
  return [-1];
}
