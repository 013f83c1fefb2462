// <flowline-task-view>: the reference renderer of Flowline's view language. No build step, no dependency: a custom
// element that a plain page or a React/Next.js app embeds.
//
//   <flowline-task-view task-id="…" views-api="http://localhost:8084" tasks-api="http://localhost:8083">
//   element.tokenProvider = async () => "<an OIDC access token>";
//
// It loads the task's screen (GET {views-api}/api/task-views/{id}), draws every component, evaluates the rules in the
// browser with the port of the condition language (conditions.js), asks ui-config-service to validate before it
// submits (the one validation), shows the messages beside their fields, then claims (if needed) and resolves the task
// in task-service. Untrusted data is only ever set as text, never parsed as HTML.

import { holds, readPath } from "./conditions.js";

const ACTION_WORDS = { retry: "Retry", skip: "Skip", abort: "Abort the run" };

function el(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  return node;
}

function display(value) {
  if (value === undefined || value === null) return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** A data-source parameter as the server reads it: a literal, or a path's value as text ("" when absent). */
/** Numbers by value, anything else by its text in any case; a missing value first (as a static source sorts). */
function compareMembers(a, b) {
  const absent = v => v === undefined || v === null;
  if (absent(a) || absent(b)) return (absent(a) ? 0 : 1) - (absent(b) ? 0 : 1);
  if (typeof a === "number" && typeof b === "number") return a - b;
  const text = v => (typeof v === "object" ? JSON.stringify(v) : String(v)).toLowerCase();
  return text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0;
}

function parameter(value, context) {
  if (typeof value !== "string" || !value.startsWith("$")) return String(value);
  const read = readPath(value, context);
  if (read === undefined || read === null) return "";
  return typeof read === "object" ? JSON.stringify(read) : String(read);
}

function tokens(pointer) {
  return pointer === "" ? [] : pointer.substring(1).split("/").map(t => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function getAt(data, pointer) {
  let current = data;
  for (const token of tokens(pointer)) {
    if (current === null || typeof current !== "object") return undefined;
    current = current[token];
  }
  return current;
}

function setAt(data, pointer, value) {
  const path = tokens(pointer);
  let current = data;
  path.slice(0, -1).forEach(token => {
    if (current[token] === null || typeof current[token] !== "object") current[token] = {};
    current = current[token];
  });
  const last = path[path.length - 1];
  if (value === undefined) delete current[last];
  else current[last] = value;
}

/** A safe subset of Markdown as DOM nodes: paragraphs, lists, **bold**, *italic*, `code`, [links](https://…). */
export function markdown(text) {
  const root = el("div", { class: "fl-markdown" });
  let list = null;
  for (const line of String(text).split(/\n/)) {
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (item) {
      if (!list) { list = el("ul"); root.append(list); }
      const li = el("li"); inline(li, item[1]); list.append(li);
      continue;
    }
    list = null;
    if (line.trim() !== "") { const p = el("p"); inline(p, line); root.append(p); }
  }
  return root;
}

function inline(parent, text) {
  const pattern = /(\*\*([^*]+)\*\*)|(\*([^*]+)\*)|(`([^`]+)`)|(\[([^\]]+)\]\((https?:\/\/[^)\s]+)\))/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    parent.append(document.createTextNode(text.substring(last, m.index)));
    if (m[2] !== undefined) parent.append(el("strong", {}, m[2]));
    else if (m[4] !== undefined) parent.append(el("em", {}, m[4]));
    else if (m[6] !== undefined) parent.append(el("code", {}, m[6]));
    else parent.append(el("a", { href: m[9], rel: "noopener noreferrer", target: "_blank" }, m[8]));
    last = m.index + m[0].length;
  }
  parent.append(document.createTextNode(text.substring(last)));
}

let counter = 0;

export class FlowlineTaskView extends HTMLElement {
  static get observedAttributes() { return ["task-id"]; }

  constructor() {
    super();
    this.tokenProvider = null;
    this.token = null;
    this.screen = null;
    this.data = {};
    this.bound = [];      // {component, pointer, wrapper, control, message}
    this.ruled = [];      // {component, node, controls}
    this.messages = new Map();
  }

  connectedCallback() { this.load(); }

  attributeChangedCallback(name, before, after) {
    if (this.isConnected && before !== after) this.load();
  }

  get viewsApi() { return this.getAttribute("views-api") || ""; }
  get tasksApi() { return this.getAttribute("tasks-api") || ""; }

  async authorization() {
    const token = this.tokenProvider ? await this.tokenProvider() : this.token;
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  async call(method, url, body) {
    const headers = { Accept: "application/json", ...(await this.authorization()) };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    return { status: response.status, json };
  }

  async load() {
    const id = this.getAttribute("task-id");
    if (!id) return;
    this.replaceChildren(el("p", { class: "fl-status", role: "status" }, "Loading the task…"));
    const { status, json } = await this.call("GET", `${this.viewsApi}/api/task-views/${encodeURIComponent(id)}`);
    if (status !== 200) {
      this.replaceChildren(el("p", { class: "fl-alert fl-error", role: "alert" },
        `The task's screen could not be loaded: ${json && json.detail ? json.detail : "HTTP " + status}`));
      return;
    }
    this.screen = json;
    this.data = JSON.parse(JSON.stringify(json.data || {}));
    this.draw();
  }

  context() { return { data: this.data, task: this.screen.task }; }

  draw() {
    this.bound = [];
    this.ruled = [];
    this.messages = new Map();
    const view = this.screen.view;
    const form = el("form", { class: "fl-view", novalidate: true, "aria-label": view.title || "Task" });
    form.addEventListener("submit", event => event.preventDefault());
    if (view.title) form.append(el("h2", { class: "fl-title" }, view.title));
    if (view.description) form.append(el("p", { class: "fl-description" }, view.description));
    this.formMessage = el("div", { class: "fl-form-message", role: "alert", "aria-live": "assertive" });
    form.append(this.formMessage);
    this.children_(view.layout || [], form, "/layout");
    this.replaceChildren(form);
    this.applyRules();
  }

  // `at` is where the components are in the view (a JSON pointer): the screen's lookups are keyed by it.
  children_(components, parent, at) {
    components.forEach((component, index) => {
      const node = this.component(component, `${at}/${index}`);
      if (node) {
        parent.append(node);
        this.ruled.push({ component, node });
      }
    });
  }

  component(c, at) {
    switch (c.type) {
      case "section": case "group": {
        const node = el(c.type === "group" ? "fieldset" : "section", { class: `fl-${c.type}` });
        const title = c.title || c.label;
        if (title) node.append(el(c.type === "group" ? "legend" : "h3", {}, title));
        this.children_(c.children || [], node, `${at}/children`);
        return node;
      }
      case "columns": {
        const node = el("div", { class: "fl-columns" });
        this.children_(c.children || [], node, `${at}/children`);
        return node;
      }
      case "tabs": return this.tabs(c, at);
      case "field": {
        const node = el("div", { class: "fl-field" });
        node.append(el("span", { class: "fl-label" }, c.label || ""), el("span", { class: "fl-value" },
          display(readPath(c.path, this.context()))));
        return node;
      }
      case "keyValue": {
        const node = el("dl", { class: "fl-key-value" });
        for (const item of c.items || []) {
          node.append(el("dt", {}, item.label), el("dd", {}, display(readPath(item.path, this.context()))));
        }
        return node;
      }
      case "alert":
        return el("div", { class: `fl-alert fl-${c.level || "info"}`, role: c.level === "error" ? "alert" : "status" },
          c.text);
      case "markdown": return markdown(c.text || "");
      case "link": {
        const href = readPath(c.href, this.context());
        const safe = typeof href === "string" && /^https?:\/\//.test(href);
        return safe ? el("a", { class: "fl-link", href, rel: "noopener noreferrer" }, c.label || href)
          : el("span", { class: "fl-link" }, c.label || "");
      }
      case "table": return this.table(c);
      case "button": {
        const button = el("button", { type: "button", class: `fl-button fl-${c.action}`, "data-action": c.action },
          c.label || ACTION_WORDS[c.action] || c.action);
        button.addEventListener("click", () => this.submit(c.action));
        return button;
      }
      default: return this.input(c, at);
    }
  }

  tabs(c, at) {
    const node = el("div", { class: "fl-tabs" });
    const list = el("div", { role: "tablist" });
    node.append(list);
    const panels = [];
    (c.tabs || []).forEach((tab, index) => {
      const id = `fl-tab-${++counter}`;
      const button = el("button", { type: "button", role: "tab", id, "aria-selected": index === 0 ? "true" : "false" },
        tab.title);
      const panel = el("div", { role: "tabpanel", "aria-labelledby": id });
      panel.hidden = index !== 0;
      this.children_(tab.children || [], panel, `${at}/tabs/${index}/children`);
      button.addEventListener("click", () => {
        list.querySelectorAll("[role=tab]").forEach(b => b.setAttribute("aria-selected", "false"));
        button.setAttribute("aria-selected", "true");
        panels.forEach(p => { p.hidden = p !== panel; });
      });
      list.append(button);
      panels.push(panel);
      node.append(panel);
    });
    return node;
  }

  input(c, at) {
    const id = `fl-input-${++counter}`;
    const wrapper = el("div", { class: `fl-input fl-${c.type}`, "data-bind": c.bind });
    const label = el("label", { for: id }, c.label || c.bind);
    const message = el("div", { class: "fl-message", id: `${id}-message`, "aria-live": "polite" });
    const value = getAt(this.data, c.bind);
    let control;
    switch (c.type) {
      case "textarea":
        control = el("textarea", { id });
        control.value = value === undefined ? "" : display(value);
        break;
      case "checkbox": case "switch":
        control = el("input", { id, type: "checkbox", role: c.type === "switch" ? "switch" : undefined });
        control.checked = value === true;
        break;
      case "select": case "multiselect":
        control = el("select", { id, multiple: c.type === "multiselect" });
        if (c.type === "select") control.append(el("option", { value: "" }, c.placeholder || "—"));
        for (const option of c.options || (this.preloaded(at) || {}).items || []) {
          const o = el("option", { value: JSON.stringify(option.value) }, option.label);
          o.selected = c.type === "multiselect" ? Array.isArray(value) && value.includes(option.value)
            : value === option.value;
          control.append(o);
        }
        break;
      case "lookup":
        return this.lookup(c, id, wrapper, label, message, this.preloaded(at));
      default: {
        const types = { number: "number", money: "number", date: "date", datetime: "datetime-local" };
        control = el("input", { id, type: types[c.type] || "text", placeholder: c.placeholder,
          min: c.min, max: c.max, step: c.step || (c.type === "money" ? "0.01" : undefined) });
        control.value = value === undefined || value === null ? "" : String(value);
      }
    }
    control.setAttribute("aria-describedby", message.id);
    control.addEventListener("input", () => { this.read(c, control); this.applyRules(); });
    control.addEventListener("change", () => { this.read(c, control); this.applyRules(); });
    if (c.type === "checkbox" || c.type === "switch") {
      wrapper.append(control, label);
    } else {
      wrapper.append(label, control);
    }
    if (c.type === "money") {
      const currency = c.currency || (c.currencyPath ? readPath(c.currencyPath, this.context()) : "");
      wrapper.append(el("span", { class: "fl-currency" }, currency || ""));
    }
    if (c.help) wrapper.append(el("div", { class: "fl-help" }, c.help));
    wrapper.append(message);
    this.bound.push({ component: c, pointer: c.bind, wrapper, control, message });
    this.messages.set(c.bind, message);
    return wrapper;
  }

  read(c, control) {
    let value;
    switch (c.type) {
      case "checkbox": case "switch": value = control.checked; break;
      case "number": case "money": value = control.value === "" ? undefined : Number(control.value); break;
      case "select": value = control.value === "" ? undefined : JSON.parse(control.value); break;
      case "multiselect": value = [...control.selectedOptions].map(o => JSON.parse(o.value)); break;
      default: value = control.value === "" ? undefined : control.value;
    }
    setAt(this.data, c.bind, value);
  }

  /** What the screen brought for the fed component at `at`: its source's first page and bound item. */
  preloaded(at) {
    return (this.screen.lookups && this.screen.lookups[at]) || null;
  }

  lookup(c, id, wrapper, label, message, preloaded) {
    const search = el("input", { id, type: "search", role: "combobox", "aria-expanded": "false",
      "aria-autocomplete": "list", "aria-describedby": message.id, placeholder: c.placeholder || "Search…" });
    const results = el("ul", { role: "listbox", id: `${id}-results`, class: "fl-results" });
    search.setAttribute("aria-controls", results.id);
    const bound = getAt(this.data, c.bind);
    const known = preloaded && preloaded.selected && preloaded.selected.label;
    const chosen = el("div", { class: "fl-chosen", "aria-live": "polite" }, known || display(bound));
    const more = el("button", { type: "button", class: "fl-more" }, "More results");
    more.hidden = true;
    let page = 0;
    let latest = 0;
    const query = async reset => {
      // Every keystroke queries; only the newest query's answer may fill the list (answers can arrive out of order).
      const asked = ++latest;
      page = reset ? 0 : page + 1;
      const params = new URLSearchParams({ q: search.value, page: String(page), size: String(c.pageSize || 10) });
      for (const [name, value] of Object.entries((c.dataSource && c.dataSource.params) || {})) {
        params.set(name, parameter(value, this.context()));
      }
      const { status, json } = await this.call("GET",
        `${this.viewsApi}/api/data-sources/${encodeURIComponent(c.dataSource.name)}/query?${params}`);
      if (asked !== latest) return;
      if (reset) results.replaceChildren();
      if (status !== 200) {
        results.append(el("li", { class: "fl-error" }, `The lookup failed (HTTP ${status})`));
        return;
      }
      list(json);
    };
    // The screen brought the first page: shown when the search box is entered empty, without asking again.
    const list = json => {
      for (const item of json.items || []) {
        const option = el("li", { role: "option", tabindex: "0", "data-value": JSON.stringify(item.value) },
          item.label);
        const pick = () => {
          setAt(this.data, c.bind, item.value);
          chosen.textContent = item.label;
          results.replaceChildren();
          search.setAttribute("aria-expanded", "false");
          more.hidden = true;
          this.applyRules();
        };
        option.addEventListener("click", pick);
        option.addEventListener("keydown", event => { if (event.key === "Enter") pick(); });
        results.append(option);
      }
      search.setAttribute("aria-expanded", results.children.length > 0 ? "true" : "false");
      more.hidden = !json.next;
    };
    search.addEventListener("focus", () => {
      if (search.value !== "" || results.children.length > 0 || !preloaded) return;
      if (preloaded.error) {
        results.append(el("li", { class: "fl-error" }, `The lookup failed: ${preloaded.error}`));
        return;
      }
      page = 0;
      list(preloaded);
    });
    search.addEventListener("input", () => query(true));
    more.addEventListener("click", () => query(false));
    wrapper.append(label, search, results, more, chosen, message);
    if (c.help) wrapper.append(el("div", { class: "fl-help" }, c.help));
    this.bound.push({ component: c, pointer: c.bind, wrapper, control: search, message });
    this.messages.set(c.bind, message);
    return wrapper;
  }

  table(c) {
    const node = el("table", { class: "fl-table" });
    const head = el("tr");
    const selectable = c.selection && c.selection !== "none";
    if (selectable) head.append(el("th", { scope: "col" }, "Select"));
    // A sortable column's header is a button: ascending, then descending; aria-sort says which.
    let sort = null;
    let reorder = () => {};
    for (const column of c.columns) {
      const th = el("th", { scope: "col" });
      // A source orders its own rows; a path table's rows are ordered here, as a static source orders them.
      if (!column.sortable) {
        th.textContent = column.label;
      } else {
        const button = el("button", { type: "button", class: "fl-sort", "data-field": column.field }, column.label);
        button.addEventListener("click", () => {
          sort = sort && sort.field === column.field && !sort.descending
            ? { field: column.field, descending: true } : { field: column.field, descending: false };
          for (const other of head.querySelectorAll("th")) other.removeAttribute("aria-sort");
          th.setAttribute("aria-sort", sort.descending ? "descending" : "ascending");
          reorder();
        });
        th.append(button);
      }
      head.append(th);
    }
    // The label is the table's caption: its accessible name.
    if (c.label) node.append(el("caption", {}, c.label));
    node.append(el("thead"), el("tbody"));
    node.tHead.append(head);
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const fill = rows => {
      node.tBodies[0].replaceChildren();
      for (const row of rows) {
        const tr = el("tr");
        if (selectable) {
          const box = el("input", { type: c.selection === "single" ? "radio" : "checkbox", name: `fl-${c.bind}`,
            "aria-label": "Select the row" });
          // A row chosen on another page stays chosen when its page is drawn again.
          const chosen = getAt(this.data, c.bind);
          box.checked = c.selection === "single" ? same(chosen, row) : (chosen || []).some(r => same(r, row));
          box.addEventListener("change", () => {
            const current = c.selection === "single" ? [] : (getAt(this.data, c.bind) || []);
            const next = box.checked ? [...current, row] : current.filter(r => !same(r, row));
            setAt(this.data, c.bind, c.selection === "single" ? row : next);
            this.applyRules();
          });
          tr.append(el("td", {}).appendChild(box).parentNode);
        }
        for (const column of c.columns) tr.append(el("td", {}, display(row[column.field])));
        node.tBodies[0].append(tr);
      }
    };
    if (!c.dataSource) {
      const read = c.path ? readPath(c.path, this.context()) : [];
      const rows = Array.isArray(read) ? read : [];
      reorder = () => {
        const order = (a, b) => compareMembers(a === null || typeof a !== "object" ? undefined : a[sort.field],
          b === null || typeof b !== "object" ? undefined : b[sort.field]);
        fill([...rows].sort((a, b) => sort.descending ? order(b, a) : order(a, b)));
      };
      fill(rows);
      return node;
    }
    // Fed by a data source: one page at a time, each item with the source's whole item (rows=true).
    const wrapper = el("div", { class: "fl-table-paged" });
    const where = el("span", { class: "fl-page", "aria-live": "polite" });
    const previous = el("button", { type: "button", class: "fl-previous" }, "Previous page");
    const next = el("button", { type: "button", class: "fl-next" }, "Next page");
    previous.disabled = true;
    next.disabled = true;
    // A searchable table has a search box; a new search, like a new order, starts again at the first page.
    const search = c.searchable
      ? el("input", { type: "search", id: `fl-table-${++counter}`, class: "fl-table-search",
        "aria-label": `Search ${c.label || "the table"}`, placeholder: "Search…" })
      : null;
    let page = 0;
    let latest = 0;
    const load = async wanted => {
      // Only the newest page asked for may fill the table (answers can arrive out of order).
      const asked = ++latest;
      const params = new URLSearchParams({ page: String(wanted), size: String(c.pageSize || 10), rows: "true" });
      if (search && search.value !== "") params.set("q", search.value);
      if (sort) params.set("sort", (sort.descending ? "-" : "") + sort.field);
      for (const [name, value] of Object.entries(c.dataSource.params || {})) {
        params.set(name, parameter(value, this.context()));
      }
      const { status, json } = await this.call("GET",
        `${this.viewsApi}/api/data-sources/${encodeURIComponent(c.dataSource.name)}/query?${params}`);
      if (asked !== latest) return;
      if (status !== 200) {
        where.textContent = `The table's rows failed to load (HTTP ${status})`;
        return;
      }
      page = wanted;
      fill((json.items || []).map(item => item.row || {}));
      where.textContent = `Page ${page + 1}`;
      previous.disabled = page === 0;
      next.disabled = !json.next;
    };
    // A new order starts again at the first page.
    reorder = () => load(0);
    previous.addEventListener("click", () => load(page - 1));
    next.addEventListener("click", () => load(page + 1));
    const pager = el("div", { class: "fl-pager" });
    pager.append(previous, where, next);
    if (search) {
      search.addEventListener("input", () => load(0));
      node.id = node.id || `fl-table-${++counter}-rows`;
      search.setAttribute("aria-controls", node.id);
      wrapper.append(search);
    }
    wrapper.append(node, pager);
    load(0);
    return wrapper;
  }

  /**
   * Shows, hides, enables, disables and requires, by each component's rules over the current data, within its
   * parent's state (as ViewValidation does on the server): a hidden or disabled parent hides or disables its children.
   */
  applyRules() {
    const context = this.context();
    const nodes = new Map(this.ruled.map(r => [r.component, r.node]));
    const bound = new Map(this.bound.map(b => [b.component, b]));
    const walk = (components, parent) => {
      for (const component of components || []) {
        const visible = parent.visible && holds(component.show, context, true)
          && !holds(component.hide, context, false);
        const enabled = parent.enabled && holds(component.enable, context, true)
          && !holds(component.disable, context, false);
        const node = nodes.get(component);
        if (node) {
          node.hidden = !visible;
          if (!component.children && !component.tabs) {
            node.querySelectorAll("input, select, textarea, button").forEach(c => { c.disabled = !enabled; });
            if (node.matches("button")) node.disabled = !enabled;
          }
        }
        const input = bound.get(component);
        if (input) {
          const required = visible && holds(component.require, context, false);
          input.control.setAttribute("aria-required", required ? "true" : "false");
          input.control.required = required;
        }
        const state = { visible, enabled };
        walk(component.children, state);
        (component.tabs || []).forEach(tab => walk(tab.children, state));
      }
    };
    walk(this.screen.view.layout, { visible: true, enabled: true });
  }

  clearMessages() {
    this.formMessage.textContent = "";
    for (const { control, message } of this.bound) {
      message.textContent = "";
      control.removeAttribute("aria-invalid");
    }
  }

  showMessages(errors) {
    const unplaced = [];
    for (const error of errors) {
      const pointer = error.pointer.startsWith("/data/") ? error.pointer.substring(5) : error.pointer;
      const message = this.messages.get(pointer);
      if (message) {
        message.textContent = message.textContent ? `${message.textContent} ${error.message}` : error.message;
        const bound = this.bound.find(b => b.pointer === pointer);
        if (bound) bound.control.setAttribute("aria-invalid", "true");
      } else {
        unplaced.push(error.message);
      }
    }
    this.formMessage.textContent = unplaced.join(" ");
  }

  /** The one validation, then claim (when open) and resolve. */
  async submit(action) {
    this.clearMessages();
    const id = this.screen.task.id;
    const checked = await this.call("POST", `${this.viewsApi}/api/task-views/${encodeURIComponent(id)}/validate`,
      { data: this.data });
    if (checked.status !== 200) {
      this.formMessage.textContent = `Validation failed: ${checked.json && checked.json.detail || checked.status}`;
      return;
    }
    if (!checked.json.valid) {
      this.showMessages(checked.json.errors);
      return;
    }
    const data = checked.json.data;
    if (this.screen.task.status === "open") {
      const claimed = await this.call("POST", `${this.tasksApi}/api/tasks/${encodeURIComponent(id)}/claim`);
      if (claimed.status !== 200) {
        this.formMessage.textContent = `The task could not be claimed: ${claimed.json && claimed.json.detail}`;
        return;
      }
    }
    const resolution = { action, data };
    if (action === "retry" && data.input !== undefined) resolution.input = data.input;
    if (action === "skip") resolution.output = data.output;
    if (action === "abort") resolution.reason = data.reason || "aborted from the task's screen";
    const resolved = await this.call("POST", `${this.tasksApi}/api/tasks/${encodeURIComponent(id)}/resolve`,
      resolution);
    if (resolved.status !== 200) {
      const json = resolved.json || {};
      if (Array.isArray(json.errors)) {
        this.showMessages(json.errors.map(e => ({ pointer: e.pointer, message: e.detail })));
      }
      this.formMessage.textContent = `${this.formMessage.textContent} ${json.detail || "HTTP " + resolved.status}`
        .trim();
      return;
    }
    this.replaceChildren(el("p", { class: "fl-alert fl-success", role: "status" },
      `Resolved with ${action}. The run goes on.`));
    this.dispatchEvent(new CustomEvent("flowline-resolved", { detail: resolved.json, bubbles: true }));
  }
}

if (!customElements.get("flowline-task-view")) {
  customElements.define("flowline-task-view", FlowlineTaskView);
}
