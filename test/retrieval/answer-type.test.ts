import { describe, expect, it } from "vitest";
import { WordNet } from "../../src/embed/wordnet/wordnet.js";
import { answerSlot, holdsAnswerType } from "../../src/retrieval/answer-type.js";

describe("answerSlot", () => {
  it("a 'how many' question wants a number, and names what it counts", () => {
    expect(answerSlot("How many hours did the talks last?")).toEqual({ type: "number", unit: "hours" });
    expect(answerSlot("For how many years has the dispute lasted?")).toEqual({ type: "number", unit: "years" });
  });

  it("reads the wording whatever its case", () => {
    expect(answerSlot("HOW MANY Diplomats came?")).toEqual({ type: "number", unit: "diplomats" });
  });

  it("a 'how much' question wants a number without a unit, unless it asks what something costs", () => {
    expect(answerSlot("How much did exports grow?")).toEqual({ type: "number", unit: null });
    expect(answerSlot("How much did the new chips cost?").type).toBe("money");
    expect(answerSlot("What was the price of the deal?").type).toBe("money");
  });

  it("a question about a share wants a percentage, even when it says 'how many'", () => {
    expect(answerSlot("What percentage of deaths involve fentanyl?").type).toBe("percent");
    expect(answerSlot("How many percent of chips come from Taiwan?").type).toBe("percent");
  });

  it("'how long' wants a duration; 'when' and 'what year' want a time", () => {
    expect(answerSlot("How long did the meeting last?").type).toBe("duration");
    expect(answerSlot("When did Blinken arrive?").type).toBe("time");
    expect(answerSlot("In what year did the visit happen?").type).toBe("time");
  });

  it("'who' and 'whom' want a person, 'where' and 'in which city' a place, 'why' a reason", () => {
    expect(answerSlot("Whom did Blinken meet?").type).toBe("person");
    expect(answerSlot("Who leads the delegation?").type).toBe("person");
    expect(answerSlot("Where did they meet?").type).toBe("place");
    expect(answerSlot("In which city were the talks held?").type).toBe("place");
    expect(answerSlot("Why did the talks stall?").type).toBe("reason");
  });

  it("a question that asks for no kind of value wants 'other'", () => {
    expect(answerSlot("What did Blinken say about fentanyl?")).toEqual({ type: "other", unit: null });
  });
});

describe("holdsAnswerType", () => {
  it("a number question is held by a figure in digits or in words, not by a sentence without one", () => {
    expect(holdsAnswerType("number", "Deaths rose to 70,601 last year.")).toBe(true);
    expect(holdsAnswerType("number", "Overdose deaths have tripled.")).toBe(true);
    expect(holdsAnswerType("number", "The talks were cordial.")).toBe(false);
  });

  it("a percentage needs a percent sign or 'per cent'", () => {
    expect(holdsAnswerType("percent", "Exports fell 12%.")).toBe(true);
    expect(holdsAnswerType("percent", "Exports fell 12 per cent.")).toBe(true);
    expect(holdsAnswerType("percent", "Exports fell by 12 points.")).toBe(false);
  });

  it("money needs both a currency and an amount", () => {
    expect(holdsAnswerType("money", "The deal is worth $5 billion.")).toBe(true);
    expect(holdsAnswerType("money", "The dollar rose against the yuan.")).toBe(false);
    expect(holdsAnswerType("money", "It cost 5 billion.")).toBe(false);
  });

  it("a duration is a figure with a unit of time, or a date", () => {
    expect(holdsAnswerType("duration", "The talks lasted five hours.")).toBe(true);
    expect(holdsAnswerType("duration", "Relations have been strained since 2019.")).toBe(true);
    expect(holdsAnswerType("duration", "The talks lasted five rounds.")).toBe(false);
  });

  it("a time is a year, a month, a weekday or a relative date", () => {
    expect(holdsAnswerType("time", "They met in June.")).toBe(true);
    expect(holdsAnswerType("time", "They met yesterday.")).toBe(true);
    expect(holdsAnswerType("time", "They met at the summit.")).toBe(false);
  });

  it("a person is a name or a role the question does not already use", () => {
    const asked = new Set(["whom", "did", "blinken", "meet"]);
    expect(holdsAnswerType("person", "He met Wang Yi in the morning.", asked)).toBe(true);
    expect(holdsAnswerType("person", "He briefed reporters afterwards.", asked)).toBe(true);
    expect(holdsAnswerType("person", "Then Blinken left.", asked)).toBe(false);
  });

  it("a capitalised first word or a title alone is not a name", () => {
    expect(holdsAnswerType("person", "Yesterday it rained.")).toBe(false);
    expect(holdsAnswerType("person", "He thanked Mr. and left.")).toBe(false);
    expect(holdsAnswerType("place", "They met in Beijing.")).toBe(true);
    expect(holdsAnswerType("place", "They met there.")).toBe(false);
  });

  it("a reason or an untyped question is held by any sentence", () => {
    expect(holdsAnswerType("reason", "The talks were cordial.")).toBe(true);
    expect(holdsAnswerType("other", "The talks were cordial.")).toBe(true);
  });
});

describe("answer types read with parts of speech and WordNet", () => {
  const wordnet = WordNet.open();
  const kind = (w: string) => wordnet.nameKind(w);

  it("asks an age of 'how old' and a measure of 'how tall/far/fast', which any figure does not answer", () => {
    expect(answerSlot("How old was Wegener when he died?").type).toBe("age");
    expect(answerSlot("How tall is Blinken?").type).toBe("measure");
    expect(holdsAnswerType("measure", "Blinken's visit aims to achieve three objectives.")).toBe(false);
    expect(holdsAnswerType("measure", "The causeway was about 800 metres long.")).toBe(true);
    expect(holdsAnswerType("age", "Wegener died in 1930.")).toBe(false);
    expect(holdsAnswerType("age", "He died aged 50.")).toBe(true);
  });

  it("wants a measure in the units the question asks for: a weight for 'how heavy', not a temperature", () => {
    expect(answerSlot("How heavy is an emperor penguin egg?")).toEqual({ type: "measure", unit: "heavy" });
    const cold = "They travelled through temperatures down to −60 °C to collect eggs.";
    const egg = "Each female lays a single egg, weighing about 460 grams.";
    expect(holdsAnswerType("measure", cold, new Set(), undefined, "heavy")).toBe(false);
    expect(holdsAnswerType("measure", egg, new Set(), undefined, "heavy")).toBe(true);
    expect(holdsAnswerType("measure", cold, new Set(), undefined, "cold")).toBe(true);
  });

  it("wants the dimension asked for: a length that is not a width does not say how wide", () => {
    const mine = "The mine is more than 4 kilometres long and about 1 kilometre deep.";
    expect(holdsAnswerType("measure", mine, new Set(), undefined, "wide")).toBe(false);
    expect(holdsAnswerType("measure", mine, new Set(), undefined, "deep")).toBe(true);
    expect(
      holdsAnswerType("measure", "The deepest point lies at nearly 11,000 metres.", new Set(), undefined, "deep"),
    ).toBe(true);
  });

  it("reads the question word that comes first: 'Which admiral was present when…' wants a person, not a date", () => {
    expect(answerSlot("Which admiral was present when the stability was tested?").type).toBe("other");
    expect(answerSlot("Who was there when the ship sank?").type).toBe("person");
    expect(answerSlot("When did the ship sink, and who was aboard?").type).toBe("time");
  });

  it("counts the head of the noun phrase after 'how many'", () => {
    expect(answerSlot("About how many sea snails went into a gram of dye?").unit).toBe("snails");
  });

  it("does not take a year for a count, unless years are counted", () => {
    const sentence = "The outbreak of 1854 is best known for the work of John Snow.";
    expect(holdsAnswerType("number", sentence, new Set(["how", "many", "people"]), undefined, "people")).toBe(false);
    expect(
      holdsAnswerType("number", "It killed 616 people in 1854.", new Set(["how", "many"]), undefined, "people"),
    ).toBe(true);
    expect(holdsAnswerType("number", "It lasted from 1854 to 1866.", new Set(), undefined, "years")).toBe(true);
  });

  it("does not take a figure the question itself gives for the answer", () => {
    const asked = new Set(["how", "many", "units", "of", "the", "nokia", "3210", "were", "sold"]);
    expect(holdsAnswerType("number", "Phones such as the Nokia 3210 were famous.", asked)).toBe(false);
  });

  it("wants a person for 'who', not a place, and a place for 'where', not a person", () => {
    const gadir = "Gadir, the modern Cádiz, was founded around 1100 BC.";
    expect(holdsAnswerType("person", gadir, new Set(["who", "founded", "gadir"]), kind)).toBe(false);
    expect(holdsAnswerType("person", "Herodotus reports that Necho II hired a crew.", new Set(["who"]), kind)).toBe(
      true,
    );
    expect(holdsAnswerType("place", "The claim was made by Herodotus.", new Set(["where"]), kind)).toBe(false);
    expect(holdsAnswerType("place", "Meeting was held at Diaoyutai State Guest House.", new Set(["where"]), kind)).toBe(
      true,
    );
  });

  it("finds a name that opens the sentence, by its part of speech", () => {
    expect(holdsAnswerType("person", "Blinken met his counterpart.", new Set(["who", "met"]))).toBe(true);
  });
});
