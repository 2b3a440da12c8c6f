/**
 * Irregular forms, one base form per line followed by its inflections: a compact stand-in for
 * WordNet's exception lists (noun.exc, verb.exc, adj.exc, adv.exc), covering the irregular words
 * common in news. Exception files found in the dictionary folder are read too.
 */
export const IRREGULAR_FORMS: Readonly<Record<"n" | "v" | "a" | "r", string>> = {
  n: `child children|foot feet|tooth teeth|goose geese|mouse mice|louse lice|ox oxen|die dice|person people
leaf leaves|basis bases|axis axes|crisis crises|analysis analyses|thesis theses|hypothesis hypotheses
criterion criteria|phenomenon phenomena|datum data|medium media|bacterium bacteria|curriculum curricula
stratum strata|memorandum memoranda|index indices|matrix matrices|appendix appendices|vertex vertices
life lives|wife wives|knife knives|half halves|wolf wolves|thief thieves|shelf shelves|self selves
loaf loaves|calf calves|elf elves|hoof hooves|scarf scarves|wharf wharves|alumnus alumni|cactus cacti
fungus fungi|nucleus nuclei|radius radii|stimulus stimuli|focus foci|terminus termini|formula formulae
antenna antennae|larva larvae|vertebra vertebrae|alga algae|corpus corpora|genus genera|opus opera`,
  v: `arise arose arisen|awake awoke awoken|bear bore borne born|beat beaten|become became|begin began begun
bend bent|bind bound|bite bit bitten|bleed bled|blow blew blown|break broke broken|breed bred|bring brought
build built|burn burnt|buy bought|catch caught|choose chose chosen|cling clung|come came|creep crept
deal dealt|dig dug|dive dove|draw drew drawn|dream dreamt|drink drank drunk|drive drove driven|dwell dwelt
eat ate eaten|fall fell fallen|feed fed|feel felt|fight fought|find found|flee fled|fling flung|fly flew flown
forbid forbade forbidden|foresee foresaw foreseen|forget forgot forgotten|forgive forgave forgiven
freeze froze frozen|get got gotten|give gave given|go went gone|grind ground|grow grew grown|hang hung
hear heard|hide hid hidden|hold held|keep kept|kneel knelt|know knew known|lay laid|lead led|lean leant
leap leapt|learn learnt|leave left|lend lent|lie lay lain lying|light lit|lose lost|make made|mean meant
meet met|mislead misled|mistake mistook mistaken|overcome overcame|overtake overtook overtaken
overthrow overthrew overthrown|oversee oversaw overseen|override overrode overridden|pay paid|prove proven
rebuild rebuilt|repay repaid|ride rode ridden|ring rang rung|rise rose risen|run ran|say said|see saw seen
seek sought|sell sold|send sent|sew sewn|shake shook shaken|shine shone|shoot shot|show shown
shrink shrank shrunk|sing sang sung|sink sank sunk|sit sat|slay slew slain|sleep slept|slide slid
sling slung|smell smelt|speak spoke spoken|speed sped|spell spelt|spend spent|spill spilt|spin spun
spit spat|spoil spoilt|spring sprang sprung|stand stood|steal stole stolen|stick stuck|sting stung
stink stank stunk|stride strode stridden|strike struck stricken|string strung|strive strove striven
swear swore sworn|sweep swept|swell swollen|swim swam swum|swing swung|take took taken|teach taught
tear tore torn|tell told|think thought|throw threw thrown|tread trod trodden|undergo underwent undergone
understand understood|undertake undertook undertaken|undo undid undone|uphold upheld|wake woke woken
wear wore worn|weave wove woven|weep wept|win won|wind wound|withdraw withdrew withdrawn|withhold withheld
withstand withstood|wring wrung|write wrote written|rewrite rewrote rewritten|retell retold|foretell foretold
forgo forwent forgone|outrun outran|partake partook partaken|overhear overheard|overpay overpaid
die dying|tie tying|vie vying|be was were been|have has had|do did done`,
  a: `good better best|well better best|bad worse worst|ill worse worst|far further furthest farther farthest
little less least|old elder eldest`,
  r: `well better best|far further farther|hard harder hardest|deeply deeper`,
};

// Inflections that are also common words of their own ("ground", "left", "saw"): folding them
// into a verb would merge unrelated words, so plain text analysis leaves them alone.
const AMBIGUOUS = new Set([
  "ground",
  "wound",
  "bit",
  "lay",
  "left",
  "fell",
  "saw",
  "rose",
  "found",
  "lie",
  "lying",
  "spat",
  "bore",
  "born",
  "lead",
  "lit",
  "light",
  "dove",
  "shot",
  "sat",
  "well",
  "better",
  "best",
  "worse",
  "worst",
  "less",
  "least",
  "data",
  "media",
  "opera",
  "dice",
  "was",
  "were",
  "been",
  "has",
  "had",
  "did",
  "done",
  "does",
]);

/**
 * Irregular noun and verb forms mapped to their base ("met" → "meet", "children" → "child"),
 * for the cases Porter stemming cannot reach. Ambiguous forms are left out.
 */
export const IRREGULAR_BASE: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const pos of ["n", "v"] as const) {
    for (const group of IRREGULAR_FORMS[pos].split(/[|\n]/)) {
      const [base, ...forms] = group.trim().split(/\s+/);
      if (!base) continue;
      for (const form of forms) if (!AMBIGUOUS.has(form) && !map.has(form)) map.set(form, base);
    }
  }
  return map;
})();
