// Turns Natural Earth's country outlines (npm world-atlas, 1:110m) into SVG path data keyed by ISO 3166-1
// alpha-2 code, projected once here with the Equal Earth projection (d3-geo), so the site draws its coverage map
// on the server with no script and no map library at run time. Output: handbook/world_map.json (committed).
//
//   cd tools/world_map && npm ci && npm run build
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { geoEqualEarth, geoPath } from "d3-geo";
import countries from "i18n-iso-countries";
import { feature } from "topojson-client";

const WIDTH = 1000;
const DECIMALS = 1; // a tenth of a unit at 1000 units wide: finer than any screen or print shows
const ANTARCTICA = "010"; // left out: no practices there, and it would take a fifth of the height

const atlas = JSON.parse(readFileSync(new URL("node_modules/world-atlas/countries-110m.json", import.meta.url)));
const all = feature(atlas, atlas.objects.countries).features;
const drawn = all.filter((country) => country.id !== ANTARCTICA);
const collection = { type: "FeatureCollection", features: drawn };
const projection = geoEqualEarth().fitWidth(WIDTH, collection);
const path = geoPath(projection).digits(DECIMALS);
const HEIGHT = Math.ceil(path.bounds(collection)[1][1]);

const shapes = {};
const skipped = [];
for (const country of drawn) {
  // Some territories (Kosovo, Northern Cyprus, Somaliland) have no ISO numeric code in the atlas.
  const code = country.id && countries.numericToAlpha2(country.id);
  if (!code) {
    skipped.push(country.properties.name);
    continue;
  }
  shapes[code] = (shapes[code] || "") + path(country);
}
const sorted = Object.fromEntries(Object.keys(shapes).sort().map((code) => [code, shapes[code]]));
const out = {
  source: "Natural Earth 1:110m via npm world-atlas 2.0.2 (public domain); Equal Earth projection (d3-geo 3.1.2)",
  width: WIDTH,
  height: HEIGHT,
  countries: sorted,
};
const target = fileURLToPath(new URL("../../handbook/world_map.json", import.meta.url));
writeFileSync(target, JSON.stringify(out) + "\n");
console.log(`${Object.keys(sorted).length} countries written to ${target}; no ISO code: ${skipped.join(", ")}`);
