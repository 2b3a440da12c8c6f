/**
 * English function words that carry no topic. Question words ("who", "when", "how") are
 * here too: the answer layer reads them separately to learn the question's type.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren as at be because been before being below
between both but by can cannot could couldn did didn do does doesn doing don down during each few for from
further had hadn has hasn have haven having he her here hers herself him himself his how i if in into is isn
it its itself just let me more most mustn my myself no nor not of off on once only or other ought our ours
ourselves out over own same shan she should shouldn so some such than that the their theirs them themselves
then there these they this those through to too under until up very was wasn we were weren what when where
which while who whom whose why will with won would wouldn you your yours yourself yourselves also yet s t
ll re ve d m o y ma shall may might must whether upon onto per via`.split(/\s+/),
);

/** Verbs (as lemmas) that carry little of what is asked: "What did Qin say about Gaza?" asks about Gaza. */
export const LIGHT_VERBS: ReadonlySet<string> = new Set(
  "be do have say tell get make go give take know think mean call come see want use become seem let put show".split(
    " ",
  ),
);
