// The condition language of Flowline (libs/expression's Condition and JsonPath), ported for the renderer: the same
// members, operators and path rules, checked against the same corpus as the Java implementation
// (libs/expression/src/test/resources/dev/flowline/expression/condition-corpus.json, run in a real browser).
// Numbers compare as JavaScript numbers: the corpus stays within what a double holds exactly.

const MISSING = Symbol("missing");
const OPERATORS = ["eq", "ne", "in", "nin", "gt", "gte", "lt", "lte", "exists", "prefix", "suffix", "anything-but"];

export class ConditionError extends Error {}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isContainer(value) {
  return value !== null && typeof value === "object";
}

function isNameChar(c, first) {
  if (c === "_" || /\p{L}/u.test(c) || c.charCodeAt(0) >= 0x80) {
    return true;
  }
  return !first && (/[0-9]/.test(c) || c === "-");
}

/** Parses an absolute path ($, .name, ['name'], [index]) into segments: strings (names) and numbers (indexes). */
export function parsePath(text) {
  if (typeof text !== "string" || !text.startsWith("$")) {
    throw new ConditionError("a path starts with '$'");
  }
  const segments = [];
  let i = 1;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ".") {
      if (text[i + 1] === ".") {
        throw new ConditionError(`descendant segments ('..') are not allowed in '${text}'`);
      }
      const start = ++i;
      while (i < n && isNameChar(text[i], i === start)) {
        i++;
      }
      if (i === start) {
        throw new ConditionError(`a member name is expected at ${start} of '${text}'`);
      }
      segments.push(text.substring(start, i));
    } else if (c === "[") {
      i++;
      const quote = text[i];
      if (quote === "'" || quote === "\"") {
        let name = "";
        i++;
        while (i < n && text[i] !== quote) {
          if (text[i] === "\\" && i + 1 < n) {
            name += text[i + 1];
            i += 2;
          } else {
            name += text[i++];
          }
        }
        if (i >= n) {
          throw new ConditionError(`unclosed string in '${text}'`);
        }
        i++;
        if (text[i] !== "]") {
          throw new ConditionError(`']' expected at ${i} of '${text}'`);
        }
        segments.push(name);
        i++;
      } else {
        const start = i;
        if (text[i] === "-") {
          i++;
        }
        while (i < n && /[0-9]/.test(text[i])) {
          i++;
        }
        const digits = text.substring(start, i);
        if (!/^-?[0-9]+$/.test(digits) || text[i] !== "]" || (digits.length > 1 && /^-?0/.test(digits))) {
          throw new ConditionError(`a quoted name or an integer index is expected at ${start} of '${text}'`);
        }
        segments.push(Number.parseInt(digits, 10));
        i++;
      }
    } else {
      throw new ConditionError(`unexpected '${c}' at ${i} of '${text}'`);
    }
  }
  return segments;
}

/** A relative path written with dots (metadata.source, items.0.id). */
export function parseDotted(text) {
  if (typeof text !== "string" || text.length === 0) {
    throw new ConditionError("a path must not be empty");
  }
  return text.split(".").map(part => {
    if (part.length === 0) {
      throw new ConditionError(`empty segment in '${text}'`);
    }
    return /^[0-9]+$/.test(part) ? Number.parseInt(part, 10) : part;
  });
}

/** The value a path names in a document, or MISSING. */
export function read(segments, document) {
  let current = document;
  for (const segment of segments) {
    if (current === MISSING || current === undefined) {
      return MISSING;
    }
    if (typeof segment === "string") {
      current = isObject(current) && Object.prototype.hasOwnProperty.call(current, segment)
        ? current[segment]
        : MISSING;
    } else if (Array.isArray(current)) {
      const at = segment < 0 ? current.length + segment : segment;
      current = at >= 0 && at < current.length ? current[at] : MISSING;
    } else {
      current = MISSING;
    }
  }
  return current === undefined ? MISSING : current;
}

/** Reads an absolute path text ($.task.errorData.x); undefined when it names nothing. */
export function readPath(text, document) {
  const value = read(parsePath(text), document);
  return value === MISSING ? undefined : value;
}

function checkScalars(list, what) {
  for (const item of list) {
    if (isContainer(item)) {
      throw new ConditionError(`${what} holds scalars only`);
    }
  }
}

function checkOperand(operator, operand) {
  switch (operator) {
    case "eq": case "ne":
      if (isContainer(operand)) throw new ConditionError(`${operator} compares with a single value`);
      break;
    case "in": case "nin":
      if (!Array.isArray(operand)) throw new ConditionError(`${operator} takes a list of values`);
      checkScalars(operand, "a list of values");
      break;
    case "anything-but":
      if (isObject(operand)) throw new ConditionError("anything-but takes a value or a list of values");
      if (Array.isArray(operand)) checkScalars(operand, "a list of values");
      break;
    case "gt": case "gte": case "lt": case "lte":
      if (typeof operand !== "number" && typeof operand !== "string") {
        throw new ConditionError(`${operator} compares with a number (or an ISO-8601 string)`);
      }
      break;
    case "exists":
      if (typeof operand !== "boolean") throw new ConditionError("exists takes true or false");
      break;
    case "prefix": case "suffix":
      if (typeof operand !== "string") throw new ConditionError(`${operator} takes a string`);
      break;
    default:
      throw new ConditionError(`unknown operator '${operator}'`);
  }
}

function parseField(key, value, nodes) {
  const path = key.startsWith("$") ? parsePath(key) : parseDotted(key);
  if (Array.isArray(value)) {
    checkScalars(value, "a list of values");
    nodes.push({ test: "in", path, operand: value });
  } else if (isObject(value)) {
    const operators = Object.keys(value);
    if (operators.length === 0) {
      throw new ConditionError(`an operator object needs at least one of: ${OPERATORS.join(", ")}`);
    }
    for (const operator of operators) {
      if (!OPERATORS.includes(operator)) {
        throw new ConditionError(`unknown operator '${operator}'; operators are ${OPERATORS.join(", ")}`);
      }
      checkOperand(operator, value[operator]);
      nodes.push({ test: operator, path, operand: value[operator] });
    }
  } else {
    nodes.push({ test: "eq", path, operand: value });
  }
}

/** Parses a condition object; throws ConditionError for anything the Java implementation refuses. */
export function parseCondition(json) {
  if (!isObject(json)) {
    throw new ConditionError("a condition is a JSON object");
  }
  const nodes = [];
  for (const [key, value] of Object.entries(json)) {
    if (key === "$and" || key === "$or") {
      if (!Array.isArray(value) || value.length === 0) {
        throw new ConditionError(`${key} takes a non-empty list of conditions`);
      }
      nodes.push({ [key === "$and" ? "all" : "any"]: value.map(parseCondition) });
    } else if (key === "$not") {
      nodes.push({ not: parseCondition(value) });
    } else {
      parseField(key, value, nodes);
    }
  }
  return nodes.length === 1 ? nodes[0] : { all: nodes };
}

function same(a, b) {
  if (typeof a === "number" && typeof b === "number") {
    return a === b;
  }
  if (isContainer(a) || isContainer(b)) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return a === b;
}

const NA = Symbol("not ordered");

function compare(actual, operand) {
  if ((typeof actual === "number" && typeof operand === "number")
      || (typeof actual === "string" && typeof operand === "string")) {
    return actual < operand ? -1 : actual > operand ? 1 : 0;
  }
  return NA;
}

function single(operator, operand, value) {
  switch (operator) {
    case "eq": return same(value, operand);
    case "in": return operand.some(candidate => same(value, candidate));
    case "gt": { const c = compare(value, operand); return c !== NA && c > 0; }
    case "gte": { const c = compare(value, operand); return c !== NA && c >= 0; }
    case "lt": { const c = compare(value, operand); return c !== NA && c < 0; }
    case "lte": { const c = compare(value, operand); return c !== NA && c <= 0; }
    case "prefix": return typeof value === "string" && value.startsWith(operand);
    case "suffix": return typeof value === "string" && value.endsWith(operand);
    default: throw new Error(`not a positive test: ${operator}`);
  }
}

function any(operator, operand, actual) {
  return Array.isArray(actual)
    ? actual.some(element => single(operator, operand, element))
    : single(operator, operand, actual);
}

function test(node, document) {
  const actual = read(node.path, document);
  if (node.test === "exists") {
    return node.operand === (actual !== MISSING);
  }
  if (actual === MISSING) {
    return false;
  }
  switch (node.test) {
    case "ne": return !any("eq", node.operand, actual);
    case "nin": return !any("in", node.operand, actual);
    case "anything-but": return !any(Array.isArray(node.operand) ? "in" : "eq", node.operand, actual);
    default: return any(node.test, node.operand, actual);
  }
}

/** Whether a parsed condition holds over a document (paths read from its root). */
export function evaluate(node, document) {
  if (node.all) return node.all.every(part => evaluate(part, document));
  if (node.any) return node.any.some(part => evaluate(part, document));
  if (node.not) return !evaluate(node.not, document);
  return test(node, document);
}

/** Parses and evaluates; an absent condition is {@code absent}. */
export function holds(condition, document, absent) {
  if (condition === undefined || condition === null) {
    return absent;
  }
  return evaluate(parseCondition(condition), document);
}
