/**
 * A two-label sequence classifier as ONNX bytes, written with a minimal protobuf encoder
 * (onnx.proto3 field numbers), and a WordPiece tokenizer.json for it: enough to test
 * loading, tokenising and label mapping without real model weights.
 *
 * logits = [19 - 2 * max(id), 2 * max(id) - 19] over the (masked) token ids, so a text
 * holding token id 10 ("ignore") scores label 1 at 0.88 and one without it at most 0.12.
 */

const VARINT = 0;
const BYTES = 2;

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

type Field = [number, number | string | Uint8Array | number[]];

/** One message: varints for numbers, bytes for strings and nested messages. */
function message(...fields: Field[]): Uint8Array {
  const out: number[] = [];
  for (const [number, value] of fields) {
    if (typeof value === "number") {
      out.push(...varint((number << 3) | VARINT), ...varint(value));
    } else if (Array.isArray(value)) {
      // Packed floats.
      const bytes = new Uint8Array(new Float32Array(value).buffer);
      out.push(...varint((number << 3) | BYTES), ...varint(bytes.length), ...bytes);
    } else {
      const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
      out.push(...varint((number << 3) | BYTES), ...varint(bytes.length), ...bytes);
    }
  }
  return new Uint8Array(out);
}

const FLOAT = 1;
const INT64 = 7;

function tensorType(elemType: number, dims: (number | string)[]): Uint8Array {
  const shape = message(
    ...dims.map((d): Field => [1, typeof d === "number" ? message([1, d]) : message([2, d])]),
  );
  return message([1, message([1, elemType], [2, shape])]);
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]): Uint8Array {
  return message([1, name], [2, tensorType(elemType, dims)]);
}

function node(op: string, inputs: string[], outputs: string[], ...attributes: Uint8Array[]) {
  return message(
    ...inputs.map((i): Field => [1, i]),
    ...outputs.map((o): Field => [2, o]),
    [4, op],
    ...attributes.map((a): Field => [5, a]),
  );
}

const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

function floats(name: string, dims: number[], values: number[]): Uint8Array {
  return message(...dims.map((d): Field => [1, d]), [2, FLOAT], [4, values], [8, name]);
}

export function tinyClassifierOnnx(): Uint8Array {
  const graph = message(
    [1, node("Mul", ["input_ids", "attention_mask"], ["masked"])],
    [1, node("Cast", ["masked"], ["ids"], message([1, "to"], [3, FLOAT], [20, ATTRIBUTE_INT]))],
    [
      1,
      node(
        "ReduceMax",
        ["ids"],
        ["top"],
        message([1, "axes"], [8, 1], [20, ATTRIBUTE_INTS]),
        message([1, "keepdims"], [3, 1], [20, ATTRIBUTE_INT]),
      ),
    ],
    [1, node("MatMul", ["top", "weights"], ["scaled"])],
    [1, node("Add", ["scaled", "bias"], ["logits"])],
    [2, "tiny-classifier"],
    [5, floats("weights", [1, 2], [-2, 2])],
    [5, floats("bias", [2], [19, -19])],
    [11, valueInfo("input_ids", INT64, [1, "sequence"])],
    [11, valueInfo("attention_mask", INT64, [1, "sequence"])],
    [12, valueInfo("logits", FLOAT, [1, 2])],
  );
  return message([1, 7], [7, graph], [8, message([1, ""], [2, 13])]);
}

const VOCAB = [
  "[PAD]",
  "[UNK]",
  "[CLS]",
  "[SEP]",
  "hello",
  "my",
  "order",
  "please",
  "all",
  "rules",
];

/** A BERT-style WordPiece tokenizer: "ignore" is id 10, [SEP] id 3. */
export function tinyTokenizerJson(): unknown {
  const vocab = Object.fromEntries([...VOCAB, "ignore"].map((token, id) => [token, id]));
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [
      special(0, "[PAD]"),
      special(1, "[UNK]"),
      special(2, "[CLS]"),
      special(3, "[SEP]"),
    ],
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [2], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [3], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}
