import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(465);
// The entry the runner executes: dist/index.js.

await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .run */ .e)();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 465:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

;// CONCATENATED MODULE: external "os"
const external_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/utils.js
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function utils_toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/command.js


/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function command_issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_namespaceObject.EOL);
}
function command_issue(name, message = '') {
    command_issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map
;// CONCATENATED MODULE: external "crypto"
const external_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");
// EXTERNAL MODULE: external "fs"
var external_fs_ = __nccwpck_require__(896);
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/file-command.js
// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */




function file_command_issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_.appendFileSync(filePath, `${utils_toCommandValue(message)}${external_os_namespaceObject.EOL}`, {
        encoding: 'utf8'
    });
}
function file_command_prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = utils_toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_os_namespaceObject.EOL}${convertedValue}${external_os_namespaceObject.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map
// EXTERNAL MODULE: external "path"
var external_path_ = __nccwpck_require__(928);
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/auth.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class BasicCredentialHandler {
    constructor(username, password) {
        this.username = username;
        this.password = password;
    }
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class auth_BearerCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Bearer ${this.token}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class PersonalAccessTokenCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`PAT:${this.token}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
//# sourceMappingURL=auth.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/oidc-utils.js
var oidc_utils_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



class oidc_utils_OidcClient {
    static createHttpClient(allowRetry = true, maxRetry = 10) {
        const requestOptions = {
            allowRetries: allowRetry,
            maxRetries: maxRetry
        };
        return new HttpClient('actions/oidc-client', [new BearerCredentialHandler(oidc_utils_OidcClient.getRequestToken())], requestOptions);
    }
    static getRequestToken() {
        const token = process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
        if (!token) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
        }
        return token;
    }
    static getIDTokenUrl() {
        const runtimeUrl = process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
        if (!runtimeUrl) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        }
        return runtimeUrl;
    }
    static getCall(id_token_url) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            var _a;
            const httpclient = oidc_utils_OidcClient.createHttpClient();
            const res = yield httpclient
                .getJson(id_token_url)
                .catch(error => {
                throw new Error(`Failed to get ID Token. \n 
        Error Code : ${error.statusCode}\n 
        Error Message: ${error.message}`);
            });
            const id_token = (_a = res.result) === null || _a === void 0 ? void 0 : _a.value;
            if (!id_token) {
                throw new Error('Response json body do not have ID Token field');
            }
            return id_token;
        });
    }
    static getIDToken(audience) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            try {
                // New ID Token is requested from action service
                let id_token_url = oidc_utils_OidcClient.getIDTokenUrl();
                if (audience) {
                    const encodedAudience = encodeURIComponent(audience);
                    id_token_url = `${id_token_url}&audience=${encodedAudience}`;
                }
                debug(`ID token url is ${id_token_url}`);
                const id_token = yield oidc_utils_OidcClient.getCall(id_token_url);
                setSecret(id_token);
                return id_token;
            }
            catch (error) {
                throw new Error(`Error message: ${error.message}`);
            }
        });
    }
}
//# sourceMappingURL=oidc-utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/summary.js
var summary_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { access, appendFile, writeFile } = external_fs_.promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
const SUMMARY_DOCS_URL = 'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return summary_awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, external_fs_.constants.R_OK | external_fs_.constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return summary_awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return summary_awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(external_os_namespaceObject.EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
/**
 * @deprecated use `core.summary`
 */
const markdownSummary = (/* unused pure expression or super */ null && (_summary));
const summary_summary = _summary;
//# sourceMappingURL=summary.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/path-utils.js

/**
 * toPosixPath converts the given path to the posix form. On Windows, \\ will be
 * replaced with /.
 *
 * @param pth. Path to transform.
 * @return string Posix path.
 */
function toPosixPath(pth) {
    return pth.replace(/[\\]/g, '/');
}
/**
 * toWin32Path converts the given path to the win32 form. On Linux, / will be
 * replaced with \\.
 *
 * @param pth. Path to transform.
 * @return string Win32 path.
 */
function toWin32Path(pth) {
    return pth.replace(/[/]/g, '\\');
}
/**
 * toPlatformPath converts the given path to a platform-specific path. It does
 * this by replacing instances of / and \ with the platform-specific path
 * separator.
 *
 * @param pth The path to platformize.
 * @return string The platform-specific path.
 */
function toPlatformPath(pth) {
    return pth.replace(/[/\\]/g, path.sep);
}
//# sourceMappingURL=path-utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/platform.js
var platform_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const getWindowsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout: version } = yield exec.getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Version"', undefined, {
        silent: true
    });
    const { stdout: name } = yield exec.getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Caption"', undefined, {
        silent: true
    });
    return {
        name: name.trim(),
        version: version.trim()
    };
});
const getMacOsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    var _a, _b, _c, _d;
    const { stdout } = yield exec.getExecOutput('sw_vers', undefined, {
        silent: true
    });
    const version = (_b = (_a = stdout.match(/ProductVersion:\s*(.+)/)) === null || _a === void 0 ? void 0 : _a[1]) !== null && _b !== void 0 ? _b : '';
    const name = (_d = (_c = stdout.match(/ProductName:\s*(.+)/)) === null || _c === void 0 ? void 0 : _c[1]) !== null && _d !== void 0 ? _d : '';
    return {
        name,
        version
    };
});
const getLinuxInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout } = yield exec.getExecOutput('lsb_release', ['-i', '-r', '-s'], {
        silent: true
    });
    const [name, version] = stdout.trim().split('\n');
    return {
        name,
        version
    };
});
const platform = external_os_namespaceObject.platform();
const arch = external_os_namespaceObject.arch();
const isWindows = platform === 'win32';
const isMacOS = platform === 'darwin';
const isLinux = platform === 'linux';
function getDetails() {
    return platform_awaiter(this, void 0, void 0, function* () {
        return Object.assign(Object.assign({}, (yield (isWindows
            ? getWindowsInfo()
            : isMacOS
                ? getMacOsInfo()
                : getLinuxInfo()))), { platform,
            arch,
            isWindows,
            isMacOS,
            isLinux });
    });
}
//# sourceMappingURL=platform.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/core.js
var core_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};






/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
//-----------------------------------------------------------------------
// Variables
//-----------------------------------------------------------------------
/**
 * Sets env variable for this action and future actions in the job
 * @param name the name of the variable to set
 * @param val the value of the variable. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function exportVariable(name, val) {
    const convertedVal = toCommandValue(val);
    process.env[name] = convertedVal;
    const filePath = process.env['GITHUB_ENV'] || '';
    if (filePath) {
        return issueFileCommand('ENV', prepareKeyValueMessage(name, val));
    }
    issueCommand('set-env', { name }, convertedVal);
}
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function core_setSecret(secret) {
    command_issueCommand('add-mask', {}, secret);
}
/**
 * Prepends inputPath to the PATH (for this action and future actions)
 * @param inputPath
 */
function addPath(inputPath) {
    const filePath = process.env['GITHUB_PATH'] || '';
    if (filePath) {
        issueFileCommand('PATH', inputPath);
    }
    else {
        issueCommand('add-path', {}, inputPath);
    }
    process.env['PATH'] = `${inputPath}${path.delimiter}${process.env['PATH']}`;
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options && options.required && !val) {
        throw new Error(`Input required and not supplied: ${name}`);
    }
    if (options && options.trimWhitespace === false) {
        return val;
    }
    return val.trim();
}
/**
 * Gets the values of an multiline input.  Each value is also trimmed.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string[]
 *
 */
function getMultilineInput(name, options) {
    const inputs = getInput(name, options)
        .split('\n')
        .filter(x => x !== '');
    if (options && options.trimWhitespace === false) {
        return inputs;
    }
    return inputs.map(input => input.trim());
}
/**
 * Gets the input value of the boolean type in the YAML 1.2 "core schema" specification.
 * Support boolean input list: `true | True | TRUE | false | False | FALSE` .
 * The return value is also in boolean type.
 * ref: https://yaml.org/spec/1.2/spec.html#id2804923
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   boolean
 */
function getBooleanInput(name, options) {
    const trueValue = ['true', 'True', 'TRUE'];
    const falseValue = ['false', 'False', 'FALSE'];
    const val = getInput(name, options);
    if (trueValue.includes(val))
        return true;
    if (falseValue.includes(val))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
        `Support boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return file_command_issueFileCommand('OUTPUT', file_command_prepareKeyValueMessage(name, value));
    }
    process.stdout.write(external_os_namespaceObject.EOL);
    command_issueCommand('set-output', { name }, utils_toCommandValue(value));
}
/**
 * Enables or disables the echoing of commands into stdout for the rest of the step.
 * Echoing is disabled by default if ACTIONS_STEP_DEBUG is not set.
 *
 */
function setCommandEcho(enabled) {
    issue('echo', enabled ? 'on' : 'off');
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
//-----------------------------------------------------------------------
// Logging Commands
//-----------------------------------------------------------------------
/**
 * Gets whether Actions Step Debug is on or not
 */
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function core_debug(message) {
    command_issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    command_issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    command_issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    command_issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + external_os_namespaceObject.EOL);
}
/**
 * Begin an output group.
 *
 * Output until the next `groupEnd` will be foldable in this group
 *
 * @param name The name of the output group
 */
function startGroup(name) {
    issue('group', name);
}
/**
 * End an output group.
 */
function endGroup() {
    issue('endgroup');
}
/**
 * Wrap an asynchronous function call in a group.
 *
 * Returns the same type as the function itself.
 *
 * @param name The name of the group
 * @param fn The function to wrap in the group
 */
function group(name, fn) {
    return core_awaiter(this, void 0, void 0, function* () {
        startGroup(name);
        let result;
        try {
            result = yield fn();
        }
        finally {
            endGroup();
        }
        return result;
    });
}
//-----------------------------------------------------------------------
// Wrapper action state
//-----------------------------------------------------------------------
/**
 * Saves state for current action, the state can only be retrieved by this action's post job execution.
 *
 * @param     name     name of the state to store
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function saveState(name, value) {
    const filePath = process.env['GITHUB_STATE'] || '';
    if (filePath) {
        return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    }
    issueCommand('save-state', { name }, toCommandValue(value));
}
/**
 * Gets the value of an state set by this action's main execution.
 *
 * @param     name     name of the state to get
 * @returns   string
 */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
function getIDToken(aud) {
    return core_awaiter(this, void 0, void 0, function* () {
        return yield OidcClient.getIDToken(aud);
    });
}
/**
 * Summary exports
 */

/**
 * @deprecated use core.summary
 */

/**
 * Path exports
 */

/**
 * Platform utilities exports
 */

//# sourceMappingURL=core.js.map
;// CONCATENATED MODULE: external "node:timers/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");
;// CONCATENATED MODULE: ./src/transport/errors.ts
// Failures of a request: the server answered with one (ResponseError), or no answer came (TransportError). The
// retry policy judges both; the services' own errors (Applivery's codes and hints) build on ResponseError.
/** A request the server answered with a failure: an HTTP error status, or a response that is not what it must be. */
class ResponseError extends Error {
    attempts;
    operation;
    httpStatus;
    code;
    apiMessage;
    malformed;
    unreadable;
    retryAfterMs;
    constructor(failure, attempts = 1, 
    /** What went wrong, as the message says it; default: the service's message. */
    detail = failure.apiMessage) {
        super(`${failure.operation} failed${triesText(attempts)} (HTTP ${failure.httpStatus}). ${detail}`);
        this.attempts = attempts;
        this.name = 'ResponseError';
        this.operation = failure.operation;
        this.httpStatus = failure.httpStatus;
        this.code = failure.code;
        this.apiMessage = failure.apiMessage;
        this.malformed = failure.malformed ?? false;
        this.unreadable = failure.unreadable ?? false;
        this.retryAfterMs = failure.retryAfterMs;
    }
    /** The same failure, after `attempts` attempts. */
    withAttemptCount(attempts) {
        return new ResponseError(this, attempts);
    }
}
function triesText(attempts) {
    return attempts > 1 ? ` after ${attempts} attempts` : '';
}
/** A failure that happened before or instead of an answer: network errors, timeouts, refused redirects. */
class TransportError extends Error {
    code;
    bodySent;
    /** Trying again cannot help (an untrusted certificate, credentials a proxy refused, a refused redirect). */
    final;
    attempts;
    constructor(message, code, 
    /** Whether the whole request body had been written when the failure happened. */
    bodySent, { final, attempts = 1 } = {}) {
        super(message);
        this.code = code;
        this.bodySent = bodySent;
        this.name = 'TransportError';
        this.final = final ?? FINAL_CODES.has(code ?? '');
        this.attempts = attempts;
    }
    /** The same failure, after `attempts` attempts of `operation`. */
    withAttemptCount(operation, attempts) {
        return new TransportError(`${operation} failed${triesText(attempts)}: ${this.message}`, this.code, this.bodySent, {
            final: this.final,
            attempts
        });
    }
}
/** OpenSSL's verification failures, as Node reports them: a certificate that is not trusted for this host. */
const CERTIFICATE_CODES = new Set([
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
    'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
    'CERT_SIGNATURE_FAILURE',
    'CERT_NOT_YET_VALID',
    'CERT_HAS_EXPIRED',
    'ERROR_IN_CERT_NOT_BEFORE_FIELD',
    'ERROR_IN_CERT_NOT_AFTER_FIELD',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'CERT_CHAIN_TOO_LONG',
    'CERT_REVOKED',
    'INVALID_CA',
    'PATH_LENGTH_EXCEEDED',
    'INVALID_PURPOSE',
    'CERT_UNTRUSTED',
    'CERT_REJECTED',
    'HOSTNAME_MISMATCH',
    'ERR_TLS_CERT_ALTNAME_INVALID'
]);
/** Failures that trying again cannot mend: a refused redirect, proxy settings or credentials, a certificate. */
const FINAL_CODES = new Set(['EREDIRECT', 'EPROXYAUTH', 'EPROXYCONFIG', ...CERTIFICATE_CODES]);
const TRUST_A_CA_HINT = "If a proxy or firewall re-signs TLS traffic with a corporate CA, trust that CA in the step's env: " +
    "NODE_EXTRA_CA_CERTS set to its PEM file, or NODE_USE_SYSTEM_CA=1 to use the system's certificate store (Node 24).";
/** A certificate issued for other names: trusting a CA does not mend it; the URL, or what answers for it, is wrong. */
const NAME_MISMATCH_CODES = new Set(['HOSTNAME_MISMATCH', 'ERR_TLS_CERT_ALTNAME_INVALID']);
function nameMismatchHint(host) {
    return (`The certificate was issued for other host names than ${host}: check the host in api-url and upload-url. ` +
        'If a proxy or firewall intercepts TLS, it answered with a certificate for another name; ' +
        'ask its administrators, or set NO_PROXY for this host if it must be reached directly.');
}
/** A certificate failure as a final error naming the host, the reason and what to do; undefined for other errors. */
function certificateFailure(err, where, host) {
    if (!err.code || !CERTIFICATE_CODES.has(err.code))
        return undefined;
    // Node 24 adds its own advice (--use-system-ca) to some reasons; the hint below gives both ways.
    const reason = err.message.replace(/; if the root CA is installed locally.*$/s, '').replace(/\.$/, '');
    const hint = NAME_MISMATCH_CODES.has(err.code) ? nameMismatchHint(host) : TRUST_A_CA_HINT;
    return new TransportError(`${where}: the TLS certificate of ${host} was not accepted (${reason}). ${hint}`, err.code, false);
}

;// CONCATENATED MODULE: ./src/transport/timings.ts
// Every time limit of the transport and the retry policy, in one place. The defaults are what the action
// runs with; APPLIVERY_TEST_TIMINGS (test-only, documented as such) shortens them for the project's own tests.
const DEFAULT_TIMINGS = Object.freeze({
    connectMs: 30_000,
    idleMs: 5 * 60_000,
    responseMs: 30 * 60_000,
    readMs: 2 * 60_000,
    keepAliveMs: 30_000,
    verifyForMs: 15 * 60_000,
    verifyGapsMs: [5_000, 10_000, 15_000, 30_000, 60_000],
    retryBaseMs: 1_000,
    retryMaxMs: 30_000,
    retryAfterMaxMs: 120_000,
    globMs: 60_000,
    rereadMs: 2_000,
    pollFirstMs: 1_000,
    // A processed build is seen within 8 s for the first 15 minutes, in at most 120 requests.
    pollEarlyMaxMs: 8_000,
    pollEarlyForMs: 15 * 60_000,
    // After that, a long wait stays cheap: a request every 40 s.
    pollMaxMs: 40_000
});
const TEST_TIMINGS_VARIABLE = 'APPLIVERY_TEST_TIMINGS';
/** The defaults, with any of them replaced by the test-only variable (a JSON object of the fields above). */
function timingsFromEnv(env) {
    const text = env[TEST_TIMINGS_VARIABLE];
    const timings = { ...DEFAULT_TIMINGS, verifyGapsMs: [...DEFAULT_TIMINGS.verifyGapsMs] };
    if (!text)
        return timings;
    let overrides;
    try {
        overrides = JSON.parse(text);
    }
    catch {
        throw new Error(`${TEST_TIMINGS_VARIABLE} (for the action's own tests) is not JSON`);
    }
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
        throw new Error(`${TEST_TIMINGS_VARIABLE} (for the action's own tests) must be a JSON object`);
    }
    for (const [key, value] of Object.entries(overrides)) {
        if (!(key in timings))
            throw new Error(`${TEST_TIMINGS_VARIABLE}: unknown timing '${key}'`);
        const valid = key === 'verifyGapsMs' ? isDurations(value) && value.length > 0 : isDuration(value);
        if (!valid)
            throw new Error(`${TEST_TIMINGS_VARIABLE}: '${key}' must be ${key === 'verifyGapsMs' ? 'a list of ' : ''}milliseconds`);
        Object.assign(timings, { [key]: value });
    }
    return timings;
}
function isDuration(value) {
    return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
function isDurations(value) {
    return Array.isArray(value) && value.every(isDuration);
}

;// CONCATENATED MODULE: ./src/transport/retry.ts
// When to try a request again, and how long to wait first. Reads, updates and deletes are retried on any
// transient failure; uploads only where the request surely was not applied, and otherwise only after
// checking that it was not (see attempts.ts).


const MAX_ATTEMPTS = 5;
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** Answers that say the request was not applied: throttled, overloaded, or the body never fully arrived. */
const NOT_APPLIED_STATUSES = new Set([408, 429, 503]);
/** Network failures where nothing reached the server. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/**
 * The waits before each look for a write whose outcome is unknown: at once, then after the gaps (the last
 * one repeating) until the looks span `verifyForMs`. A server still working on it (behind a gateway that gave
 * up with 504, or past the client's patience) creates it late.
 */
function verifyDelaysMs(timings) {
    const delays = [0];
    for (let elapsed = 0, i = 0; elapsed < timings.verifyForMs; i++) {
        const gap = Math.max(1, timings.verifyGapsMs[Math.min(i, timings.verifyGapsMs.length - 1)]);
        delays.push(gap);
        elapsed += gap;
    }
    return delays;
}
/** Failures after which the server has finished with the request, so one look is enough. */
function finishedByServer(err) {
    if (isUnreadable(err))
        return true;
    return err instanceof ResponseError && (err.httpStatus === 500 || (err.malformed && err.httpStatus < 400));
}
function isAbort(err) {
    return err instanceof TransportError && err.code === 'ABORT_ERR';
}
/** An answer that arrived whole but past the bounds the action reads (too large, nested too deep). */
function isUnreadable(err) {
    return (err instanceof TransportError && err.code === 'ERESPONSE') || (err instanceof ResponseError && err.unreadable);
}
function verdict(err, idempotent) {
    // The same answer would come again; a write it answered may have been applied.
    if (isUnreadable(err))
        return idempotent ? 'fail' : 'check';
    if (err instanceof TransportError) {
        if (err.final || isAbort(err))
            return 'fail';
        if (idempotent)
            return 'retry';
        // A body that was not fully sent cannot have been applied.
        return NOT_CONNECTED_CODES.has(err.code ?? '') || !err.bodySent ? 'retry' : 'check';
    }
    if (err instanceof ResponseError) {
        // A 2xx that is not an envelope (truncated) may have been applied; a 4xx page (413, a WAF's 403) is final.
        const malformedSuccess = err.malformed && err.httpStatus < 400;
        if (!RETRYABLE_STATUSES.has(err.httpStatus) && !malformedSuccess)
            return 'fail';
        if (malformedSuccess)
            return idempotent ? 'retry' : 'check';
        return idempotent || NOT_APPLIED_STATUSES.has(err.httpStatus) ? 'retry' : 'check';
    }
    return 'fail';
}
/** Exponential backoff with full jitter, unless the server said how long to wait. */
function retryDelayMs(attempt, err, random = Math.random, timings = DEFAULT_TIMINGS) {
    if (err instanceof ResponseError && err.retryAfterMs !== undefined)
        return Math.min(err.retryAfterMs, timings.retryAfterMaxMs);
    return Math.round(random() * Math.min(timings.retryMaxMs, timings.retryBaseMs * 2 ** (attempt - 1)));
}
/** Retry-After as seconds or an HTTP date, capped; anything else is ignored. */
function parseRetryAfter(value, now = Date.now()) {
    if (value === undefined)
        return undefined;
    const text = value.trim();
    let ms;
    if (/^\d+$/.test(text))
        ms = Number(text) * 1000;
    else if (/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text) && !Number.isNaN(Date.parse(text))) {
        ms = Date.parse(text) - now;
    }
    else
        return undefined;
    return Math.min(Math.max(ms, 0), DEFAULT_TIMINGS.retryAfterMaxMs);
}
/** The action's policy, with its time limits; a test may pass timings of zero and so never wait. */
function retryPolicy(timings = DEFAULT_TIMINGS, random = Math.random) {
    return {
        maxAttempts: MAX_ATTEMPTS,
        verdict,
        delayMs: (attempt, err) => retryDelayMs(attempt, err, random, timings),
        verifyDelaysMs: (err) => (finishedByServer(err) ? [0] : verifyDelaysMs(timings))
    };
}

;// CONCATENATED MODULE: ./src/transport/attempts.ts
// Making a request until it succeeds, under a retry policy: waits between attempts, and for a write whose
// outcome is unknown (an upload whose answer was lost), a look for its effect before it is sent again.



async function withAttempts(request, { policy, signal, warn }) {
    const { operation } = request;
    for (let attempt = 1;; attempt++) {
        await request.before?.();
        try {
            return await request.attempt();
        }
        catch (err) {
            const gone = attempt > 1 ? request.whenGone?.(err) : undefined;
            if (gone !== undefined)
                return gone;
            let next = policy.verdict(err, request.idempotent);
            if (next === 'check') {
                const found = request.applied ? await verifyApplied(request, err, request.applied, { policy, signal, warn }) : undefined;
                if (found !== undefined) {
                    warn?.(`${operation}: the answer was lost, but the request had been applied; not repeating it (${reason(err)})`);
                    return found;
                }
                // An answer that came whole but could not be read was the server's: its write is not sent again blindly.
                next = request.applied && !isUnreadable(err) ? 'retry' : 'fail';
            }
            if (next === 'fail' || attempt >= policy.maxAttempts)
                throw countAttempts(err, operation, attempt);
            const delay = policy.delayMs(attempt, err);
            warn?.(`${operation}: attempt ${attempt} of ${policy.maxAttempts} failed (${reason(err)}); retrying in ${(delay / 1000).toFixed(1)}s`);
            await (0,promises_namespaceObject.setTimeout)(delay, undefined, { signal }).catch(() => {
                throw countAttempts(new TransportError('cancelled', 'ABORT_ERR', false), operation, attempt);
            });
        }
    }
}
/** Looks for the effect of a write with an unknown outcome, for a while if the server may still be at it. */
async function verifyApplied(request, err, applied, options) {
    const delays = options.policy.verifyDelaysMs(err);
    let verifyError;
    for (const [i, delay] of delays.entries()) {
        if (delay > 0) {
            const why = verifyError === undefined ? `not found yet (${reason(err)})` : `could not look (${reason(verifyError)})`;
            options.warn?.(`${request.operation}: ${why}; looking again in ${delay / 1000}s before sending it again`);
            await (0,promises_namespaceObject.setTimeout)(delay, undefined, { signal: options.signal });
        }
        try {
            const found = await applied();
            verifyError = undefined;
            if (found !== undefined || i === delays.length - 1)
                return found;
        }
        catch (checkError) {
            // A look that failed for a passing reason (the network is down a while) is tried again within the
            // window; only a look that succeeds may let the request be sent again.
            verifyError = checkError;
            if (i < delays.length - 1 && options.policy.verdict(checkError, true) === 'retry')
                continue;
            throw new Error(`${request.operation} failed (${reason(err)}), and checking whether Applivery had applied it failed too ` +
                `(${reason(checkError)}); not repeating it, so as not to create a duplicate`, { cause: checkError });
        }
    }
    return undefined;
}
function reason(err) {
    if (err instanceof ResponseError)
        return `HTTP ${err.httpStatus}${err.code !== undefined ? `, Applivery error ${err.code}` : ''}: ${err.apiMessage}`;
    return err instanceof Error ? err.message : String(err);
}
function countAttempts(err, operation, attempts) {
    if (err instanceof ResponseError)
        return err.withAttemptCount(attempts);
    if (err instanceof TransportError)
        return err.withAttemptCount(operation, attempts);
    return err;
}

;// CONCATENATED MODULE: ./src/applivery/decode.ts
/** The longest id taken: Applivery's are 24 hex digits. */
const MAX_ID_LENGTH = 128;
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** A string field as a string: numbers and booleans as text, anything else left out. */
function decode_text(value) {
    if (typeof value === 'string')
        return value;
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}
/** Printable ASCII without white space: Applivery's ids are hex, and an id goes into paths and log lines. */
const ID_CHARACTERS = /^[!-~]+$/;
/** An id: a string (or number) of printable characters, at most MAX_ID_LENGTH of them. */
function idOf(value) {
    const id = decode_text(value);
    return id !== undefined && id.length <= MAX_ID_LENGTH && ID_CHARACTERS.test(id) ? id : undefined;
}
/** Only the string-valued keys of an object, each as text. */
function texts(value) {
    if (!isObject(value))
        return undefined;
    const out = {};
    for (const [key, field] of Object.entries(value)) {
        const t = decode_text(field);
        if (t !== undefined)
            out[key] = t;
    }
    return out;
}
/** `value` with each listed field replaced by what `as` makes of it (left out when undefined). */
function shaped(value, fields) {
    const out = { ...value };
    for (const [key, as] of Object.entries(fields)) {
        if (!(key in value))
            continue;
        const made = as(value[key]);
        if (made === undefined)
            delete out[key];
        else
            out[key] = made;
    }
    return out;
}
const BUILD_FIELDS = {
    status: (v) => decode_text(v) ?? 'unknown',
    versionName: decode_text,
    os: decode_text,
    buildPlatform: decode_text,
    createdAt: decode_text,
    updatedAt: decode_text,
    error: decode_text,
    errorCode: decode_text,
    size: (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined),
    tags: (v) => (Array.isArray(v) ? v.filter((tag) => typeof tag === 'string') : undefined),
    processLogs: (v) => (Array.isArray(v) ? v : undefined),
    files: (v) => (Array.isArray(v) ? v.filter(isObject) : undefined),
    applicationInfo: texts,
    application: (v) => (isObject(v) ? texts(v) : decode_text(v)),
    deployer: (v) => (isObject(v) ? shaped(v, { name: decode_text, info: texts }) : undefined)
};
/** A build from an answer: an object with an id, its fields of the types the action reads; otherwise undefined. */
function buildOf(value) {
    if (!isObject(value))
        return undefined;
    const id = idOf(value.id);
    if (id === undefined)
        return undefined;
    return { ...shaped(value, BUILD_FIELDS), id, status: decode_text(value.status) ?? 'unknown' };
}
const PUBLICATION_FIELDS = {
    distributionUrl: decode_text,
    security: decode_text,
    visibility: decode_text,
    application: (v) => (isObject(v) ? texts(v) : decode_text(v)),
    filter: (v) => (isObject(v) ? v : undefined)
};
/** An install page from an answer: an object with an id and a slug; otherwise undefined. */
function publicationOf(value) {
    if (!isObject(value))
        return undefined;
    const id = idOf(value.id);
    if (id === undefined)
        return undefined;
    return { ...shaped(value, PUBLICATION_FIELDS), id, slug: decode_text(value.slug) ?? '' };
}
const BUILD = { what: 'build', decode: buildOf };
const PUBLICATION = { what: 'install page', decode: publicationOf };
/** Something with an id, as lists of App Stores hold. */
function withIdOf(value) {
    if (!isObject(value))
        return undefined;
    const id = idOf(value.id);
    return id === undefined ? undefined : { ...value, id };
}

;// CONCATENATED MODULE: ./src/transport/json-bounds.ts
// JSON from outside is parsed only within bounds: a server may send a document nested without end (which no
// stringify survives) or made of millions of tiny arrays (which take far more memory parsed than as text).
/** Deeper or larger JSON is not parsed: no answer of Applivery's or GitHub's comes near. */
const JSON_LIMITS = { depth: 64, containers: 200_000 };
/** Why `text` is not JSON the action will parse, or undefined. A scan, not a parse: a string's contents are skipped. */
function jsonBoundsProblem(text) {
    let depth = 0;
    let containers = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
            if (c === 0x5c)
                i++;
            else if (c === 0x22)
                inString = false;
        }
        else if (c === 0x22) {
            inString = true;
        }
        else if (c === 0x7b || c === 0x5b) {
            if (++depth > JSON_LIMITS.depth)
                return `it nests deeper than ${JSON_LIMITS.depth} levels`;
            if (++containers > JSON_LIMITS.containers)
                return `it holds more than ${JSON_LIMITS.containers.toLocaleString('en')} objects and arrays`;
        }
        else if (c === 0x7d || c === 0x5d) {
            depth--;
        }
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/applivery/errors.ts
// Applivery's failures: its documented error codes, turned into messages a pipeline owner can act on.

const HINTS = {
    '3001': 'Applivery does not know this build or app. Check build-id, and that the token belongs to this app ' +
        '(App API token) or that organization-id and app-id are right (Service Account token).',
    '3002': 'The token has expired. Create a new one in Applivery and update the secret passed as token.',
    '4002': 'No token reached Applivery. Check that the secret passed as token is set for this workflow.',
    '4004': 'Applivery rejected the token. An App API token works without organization-id and app-id (Integrations API); ' +
        'a Service Account token needs both (Workspace API).',
    '5006': 'Applivery rejected the file. Check that file points to a build (.ipa, .apk, .aab, .dmg, .pkg, .exe, .msi, ' +
        '.msix, .appx, .nsp, .zip, .tar.gz) and that it is not truncated.',
    '5014': 'The build is still being processed. Delete and attach wait for processing on their own; ' +
        'raise wait-timeout if processing takes longer.',
    '5024': 'The slug is already used by another entity in Applivery. Choose a different one.'
};
function hintFor(code) {
    return code === undefined ? undefined : HINTS[String(code)];
}
/** A request Applivery answered with a failure (an HTTP error status, a `status: false` body, or no envelope). */
class ApiError extends ResponseError {
    constructor(failure, attempts = 1) {
        super(failure, attempts, detailOf(failure));
        this.name = 'ApiError';
    }
    withAttemptCount(attempts) {
        return new ApiError(this, attempts);
    }
}
/** Applivery's code and message, and what to do about a known code. */
function detailOf({ code, apiMessage }) {
    const what = code === undefined ? apiMessage : `Applivery error ${code}: ${apiMessage}`;
    const hint = hintFor(code);
    return `${what}${hint ? `\nHint: ${hint}` : ''}`;
}
/** Applivery said the build does not exist (a proxy's HTML 404 does not count). */
function isGone(err) {
    return err instanceof ApiError && !err.malformed && (err.httpStatus === 404 || Number(err.code) === 3001);
}

;// CONCATENATED MODULE: ./src/applivery/envelope.ts
// Applivery's answers: `{status: true, data}` or `{status: false, error: {code, message}}`, whatever the HTTP status.
// An answer is outside text: it is parsed within bounds, and what an error quotes of it is cut short.



/** Turns an answer into its `data`, or an ApiError: an HTTP error status or a `status: false` body fails. */
function unwrap(operation, response) {
    const { status } = response;
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    let envelope;
    const text = response.body.toString('utf8');
    const problem = jsonBoundsProblem(text);
    if (problem) {
        const apiMessage = `The answer was not read: ${problem}`;
        throw new ApiError({ operation, httpStatus: status, apiMessage, malformed: true, unreadable: true, retryAfterMs });
    }
    try {
        envelope = JSON.parse(text);
    }
    catch {
        throw new ApiError({
            operation,
            httpStatus: status,
            apiMessage: `The answer was not JSON: ${preview(text)}`,
            malformed: true,
            retryAfterMs
        });
    }
    if (typeof envelope !== 'object' || envelope === null) {
        throw new ApiError({
            operation,
            httpStatus: status,
            apiMessage: `Unexpected answer: ${preview(text)}`,
            malformed: true,
            retryAfterMs
        });
    }
    if (status >= 300 || envelope.status !== true) {
        const error = (typeof envelope.error === 'object' && envelope.error !== null ? envelope.error : {});
        const message = error.message !== undefined ? quoted(error.message) : status >= 300 ? 'no error message' : 'the answer said status: false';
        const details = validationDetails(error.data);
        const apiMessage = details ? `${message} (${details})` : message;
        const code = typeof error.code === 'number' || typeof error.code === 'string' ? quoted(error.code, MAX_CODE) : undefined;
        throw new ApiError({ operation, httpStatus: status, code, apiMessage, retryAfterMs });
    }
    return envelope.data;
}
/** How much of an answer's own message an error quotes; a code is shorter still. */
const MAX_QUOTED = 300;
const MAX_CODE = 20;
/** Text from an answer, for an error message: as text, cut short. */
function quoted(value, max = MAX_QUOTED) {
    const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    return text.length > max ? `${text.slice(0, max)}... (${text.length} characters)` : text;
}
/** A validation error's fields and what is wrong with each: `filter.value: "value" is required`. */
function validationDetails(data) {
    const errors = data?.errors;
    if (!Array.isArray(errors) || errors.length === 0)
        return undefined;
    return errors
        .slice(0, 5)
        .map((entry) => {
        const field = quoted(Array.isArray(entry?.field) ? entry.field.join('.') : (entry?.field ?? '?'), 60);
        const messages = Array.isArray(entry?.messages) ? quoted(entry.messages.join('; '), 120) : '';
        return messages ? `${field}: ${messages}` : field;
    })
        .join(', ');
}
/** An HTML error page or a broken body, flattened and cut short for a message. */
function preview(text) {
    const flat = text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat || '(empty body)';
}
/** Whether a list answer says there is no page after this one; an answer without pagination fields never does. */
function isLastPage(result, page, walked) {
    if (result.hasNextPage === false)
        return true;
    if (result.totalPages !== undefined && (result.page ?? page) >= result.totalPages)
        return true;
    return result.totalDocs !== undefined && walked >= result.totalDocs;
}
/** A list answer: `items`, each made by `item` (undefined: not one), and the pagination fields Applivery's lists send, where present. */
function pageOf(operation, data, item) {
    const fields = (typeof data === 'object' && data !== null ? data : {});
    if (!Array.isArray(fields.items)) {
        throw new ApiError({ operation, httpStatus: 200, apiMessage: 'The answer has no items list', malformed: true });
    }
    const items = [];
    for (const [i, value] of fields.items.entries()) {
        const made = item(value);
        if (made === undefined) {
            const apiMessage = `Item ${i + 1} of the list is not an object with an id: ${quoted(value, 100)}`;
            throw new ApiError({ operation, httpStatus: 200, apiMessage, malformed: true });
        }
        items.push(made);
    }
    const page = { items };
    if (typeof fields.hasNextPage === 'boolean')
        page.hasNextPage = fields.hasNextPage;
    for (const key of ['totalDocs', 'totalPages', 'page', 'limit', 'nextPage']) {
        const value = fields[key];
        if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
            page[key] = value;
    }
    return page;
}

;// CONCATENATED MODULE: external "node:v8"
const external_node_v8_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:v8");
;// CONCATENATED MODULE: external "node:vm"
const external_node_vm_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:vm");
;// CONCATENATED MODULE: ./src/transport/reclaim.ts
// A walk reads answer after answer of up to 4 MiB each, and drops each once read. On a machine with much memory,
// V8 lets such garbage grow by about 100 MiB before it collects (its young generation grows, and Node keeps large
// answers outside the heap, which V8 counts loosely), so a walk's peak memory would follow how much it read. A
// full collection after every few MiB read keeps it flat, whatever the server sends; it costs a few milliseconds.


/** Bytes read between two collections: small walks, the usual case, never ask for one. */
const RECLAIM_EVERY_BYTES = 4 * 1024 * 1024;
let collect;
/** V8's `gc()`, without the --expose-gc flag on the command line the runner starts Node with; null where it is absent. */
function collector() {
    if (collect !== undefined)
        return collect;
    try {
        (0,external_node_v8_namespaceObject.setFlagsFromString)('--expose-gc');
        const gc = (0,external_node_vm_namespaceObject.runInNewContext)('typeof gc === "function" ? gc : undefined');
        collect = typeof gc === 'function' ? gc : null;
    }
    catch {
        collect = null;
    }
    return collect;
}
/** Collects the garbage of answers already dropped; does nothing where V8 does not offer it. */
function reclaimMemory() {
    collector()?.();
}

;// CONCATENATED MODULE: ./src/transport/walk-budget.ts
// Bounds on walking a paginated list: a server may never say it is the last page, send pages without end, or
// pages of huge entries. A walk past a bound fails, with nothing changed on the way (prune deletes only after a
// finished walk), and what it reads and keeps stays within the action's memory.

const WALK_LIMITS = {
    pages: 200,
    bytes: 32 * 1024 * 1024,
    entries: 20_000,
    chars: 24 * 1024 * 1024
};
class WalkLimitError extends Error {
    name = 'WalkLimitError';
}
class WalkBudget {
    what;
    limits;
    pages = 0;
    bytes = 0;
    entries = 0;
    chars = 0;
    sinceReclaim = 0;
    constructor(
    /** Names the list in messages, e.g. "List builds". */
    what, limits = WALK_LIMITS) {
        this.what = what;
        this.limits = limits;
    }
    /** Counts a page about to be asked for. */
    page() {
        if (++this.pages > this.limits.pages)
            this.exceeded(`went on past ${this.limits.pages} pages`);
    }
    /** Counts the bytes of a page read. */
    read(bytes) {
        this.bytes += bytes;
        if (this.bytes > this.limits.bytes)
            this.exceeded(`ran past ${mib(this.limits.bytes)} of answers`);
        this.sinceReclaim += bytes;
        if (this.sinceReclaim >= RECLAIM_EVERY_BYTES) {
            this.sinceReclaim = 0;
            reclaimMemory();
        }
    }
    /** Counts an entry about to be kept. */
    keep(entry) {
        this.chars += JSON.stringify(entry)?.length ?? 0;
        if (++this.entries > this.limits.entries)
            this.exceeded(`holds more than ${this.limits.entries.toLocaleString('en')} entries`);
        if (this.chars > this.limits.chars)
            this.exceeded(`holds more than ${mib(this.limits.chars)} of entries`);
    }
    exceeded(why) {
        throw new WalkLimitError(`${this.what}: the list ${why}; stopped there, and nothing was changed on the way`);
    }
}
function mib(bytes) {
    return `${Math.round(bytes / 1024 / 1024)} MiB`;
}

;// CONCATENATED MODULE: ./src/applivery/publications.ts



/**
 * The items of a paginated list that `keep` wants, page by page, until a page is empty, repeats, or says it is
 * the last; within the walk's bounds (a list that ignores `page` never ends).
 */
async function walk(requests, operation, path, query, item, keep = () => true) {
    const budget = new WalkBudget(operation);
    const seen = new Set();
    const kept = [];
    for (let page = 1;; page++) {
        budget.page();
        const endpoint = { operation, host: 'api', method: 'GET', path, query: { ...query, page } };
        const data = await requests.perform(endpoint, { onBody: (bytes) => budget.read(bytes) });
        const result = pageOf(operation, data, item);
        const fresh = result.items.filter((entry) => !seen.has(entry.id));
        for (const entry of fresh) {
            seen.add(entry.id);
            if (!keep(entry))
                continue;
            budget.keep(entry);
            kept.push(entry);
        }
        if (fresh.length === 0 || isLastPage(result, page, seen.size))
            break;
    }
    return kept;
}
/** The Workspace API's App Stores of the organization. */
function listStores(requests) {
    const { scope } = requests.options;
    if (scope.kind !== 'workspace')
        throw new Error('App Stores are read through the Workspace API');
    return walk(requests, 'List App Stores', `/v1/organizations/${encodeURIComponent(scope.organizationId)}/stores`, {}, withIdOf);
}
class PublicationsClient {
    requests;
    storeId;
    constructor(requests, storeId) {
        this.requests = requests;
        this.storeId = storeId;
    }
    path(suffix = '') {
        const { scope } = this.requests.options;
        if (scope.kind === 'integrations')
            return `/v1/integrations/distributions${suffix}`;
        if (this.storeId === undefined)
            throw new Error('The Workspace API keeps publications in an App Store: its id is needed');
        const org = encodeURIComponent(scope.organizationId);
        return `/v1/organizations/${org}/stores/${encodeURIComponent(this.storeId)}/pubApps${suffix}`;
    }
    async findPublication(slug) {
        const same = (item) => item.slug.toLowerCase() === slug.toLowerCase();
        const items = await walk(this.requests, `Find publication ${slug}`, this.path(), { slug }, publicationOf, same);
        return items[0];
    }
    listPublications() {
        return walk(this.requests, 'List publications', this.path(), {}, publicationOf);
    }
    getPublication(id) {
        return this.requests.perform({ operation: `Read publication ${id}`, host: 'api', method: 'GET', path: this.path(`/${encodeURIComponent(id)}`) }, { decode: PUBLICATION });
    }
    createPublication(body, shown) {
        // Safe to repeat after a lost answer: slugs are unique, so a second create of an applied one is refused
        // as a clash, which publish resolves by reading it.
        const endpoint = {
            operation: `Create publication ${body.slug}`,
            host: 'api',
            method: 'POST',
            path: this.path(),
            json: body,
            shownJson: shown,
            idempotent: true
        };
        return this.requests.write(endpoint, { decode: PUBLICATION });
    }
    /** Its answer is not established: the page when it holds one, else undefined (the page is then as sent). */
    async replacePublication(id, body, shown) {
        const endpoint = {
            operation: `Update publication ${body.slug}`,
            host: 'api',
            method: 'PUT',
            path: this.path(`/${encodeURIComponent(id)}`),
            json: body,
            shownJson: shown,
            once: true
        };
        const written = await this.requests.write(endpoint);
        return written.sent ? { sent: true, value: publicationOf(written.value) } : written;
    }
    deletePublication(id) {
        return this.requests.remove({
            operation: `Delete publication ${id}`,
            host: 'api',
            method: 'DELETE',
            path: this.path(`/${encodeURIComponent(id)}`)
        });
    }
}

;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/proxy.js
function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}
//# sourceMappingURL=proxy.js.map
;// CONCATENATED MODULE: ./src/transport/proxy.ts
// The proxy a request goes through, from HTTPS_PROXY / HTTP_PROXY and NO_PROXY (read by the Actions toolkit's
// own rules; loopback is never proxied), and the CONNECT tunnel through it. The tunnel is written on node:http's
// own CONNECT support so that it is part of the connect limit, a refusal fails with the proxy's status, and
// its socket is closed on every failure. Credentials are sent, never shown: a proxy is named by its origin.



/** The proxy for a request to `target`, or undefined to go direct. */
function proxyFor(target) {
    const { env } = process;
    const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
    const variable = names.find((name) => env[name]?.trim());
    if (!variable || checkBypass(target))
        return undefined;
    const url = parseProxyUrl(env[variable]);
    if (!url?.hostname) {
        throw new TransportError(`${variable} is not a URL; expected http://host:port or http://user:password@host:port`, 'EPROXYCONFIG', false);
    }
    const label = `${url.protocol}//${url.host}`;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new TransportError(`${variable} names a ${url.protocol} proxy (${label}); only http:// and https:// proxies are supported`, 'EPROXYCONFIG', false);
    }
    return { url, label, variable };
}
/** A proxy variable's URL; like curl, one without a scheme is an http:// proxy. Undefined when it is no URL. */
function parseProxyUrl(value) {
    const text = value.trim();
    try {
        return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
    }
    catch {
        return undefined;
    }
}
/** A socket to `host:port` through the proxy, once the proxy has answered CONNECT with 2xx. */
async function openTunnel(proxy, host, port, options) {
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const headers = { Host: authority };
    const username = decoded(proxy.url.username);
    const password = decoded(proxy.url.password);
    if (username || password)
        headers['Proxy-Authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const transport = proxy.url.protocol === 'https:' ? await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 708, 23)) : external_node_http_namespaceObject;
    return new Promise((resolve, reject) => {
        const request = transport.request({
            host: proxy.url.hostname.replace(/^\[|\]$/g, ''),
            port: proxy.url.port || (proxy.url.protocol === 'https:' ? 443 : 80),
            method: 'CONNECT',
            path: authority,
            headers,
            agent: false
        });
        const timer = setTimeout(() => {
            request.destroy(new TransportError(`proxy ${proxy.label}: no answer to CONNECT ${authority} within ${options.connectMs / 1000}s`, 'ETIMEDOUT', false));
        }, options.connectMs);
        request.on('socket', (socket) => socket.setKeepAlive(true, options.keepAliveMs));
        request.on('connect', (response, socket, head) => {
            clearTimeout(timer);
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) {
                if (head.length > 0)
                    socket.unshift(head);
                resolve(socket);
                return;
            }
            socket.destroy();
            reject(refused(proxy, authority, status, response.statusMessage ?? '', Boolean(username || password)));
        });
        request.on('error', (err) => {
            clearTimeout(timer);
            reject(err instanceof TransportError ? err : new TransportError(`proxy ${proxy.label}: ${err.message}`, err.code, false));
        });
        request.end();
    });
}
/** Percent-decoded, as the toolkit decodes proxy credentials; a stray '%' is kept as written. */
function decoded(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
function refused(proxy, authority, status, statusText, hasCredentials) {
    const response = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
    if (status === 407) {
        const what = hasCredentials
            ? `refused the credentials in ${proxy.variable} (${response}). Check the user name and password there`
            : `asks for credentials (${response}) and ${proxy.variable} has none. Give them`;
        return new TransportError(`The proxy ${proxy.label} ${what} as http://user:password@host:port, with special characters percent-encoded`, 'EPROXYAUTH', false);
    }
    // A proxy's 5xx says the way on is down for now; a 4xx (a forbidden host) will not change by itself.
    return new TransportError(`The proxy ${proxy.label} refused to connect to ${authority} (${response})`, 'EPROXY', false, {
        final: status < 500
    });
}
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];
/** The proxy passwords in the environment, as written and decoded, for the log to mask. */
function proxySecrets(env) {
    const secrets = new Set();
    for (const name of PROXY_VARIABLES) {
        const value = env[name]?.trim();
        if (!value)
            continue;
        const password = parseProxyUrl(value)?.password;
        // A variable that is no URL has nothing to mask: requests through it fail with a message that does not repeat it.
        if (password)
            secrets.add(password).add(decoded(password));
    }
    return [...secrets];
}

;// CONCATENATED MODULE: ./src/transport/agents.ts
// One keep-alive agent per way of reaching a server: direct over http or https, or tunnelled through a
// proxy. Chosen per request from its URL, so an api-url and an upload-url that differ in scheme, host or
// proxy each get the right one.


let secureModules;
/** node:https and node:tls, loaded with the first https request: a run over plain http (a local sandbox) never needs them. */
function loadSecureModules() {
    secureModules ??= Promise.all([Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 708, 23)), Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 692, 23))]).then(([https, tls]) => ({ https, tls }));
    return secureModules;
}
/** An agent for https through a proxy: CONNECT first, then TLS with the target inside the tunnel. */
function tunnelAgent({ https, tls }, proxy, tunnel) {
    class TunnelAgent extends https.Agent {
        createConnection(options, callback) {
            const host = String(options.host ?? options.hostname ?? 'localhost');
            const port = Number(options.port ?? 443);
            openTunnel(proxy, host, port, tunnel).then((socket) => callback?.(null, tls.connect({ ...options, socket })), (err) => callback?.(err, undefined));
            return undefined;
        }
    }
    return new TunnelAgent({ keepAlive: true });
}
const agents = new Map();
/** How to reach `url`: loopback and plain http always go direct (only loopback may use http at all). */
async function routeFor(url, tunnel) {
    if (url.protocol !== 'https:') {
        let agent = agents.get('http:');
        if (!agent)
            agents.set('http:', (agent = new external_node_http_namespaceObject.Agent({ keepAlive: true })));
        return { agent, request: external_node_http_namespaceObject.request };
    }
    const proxy = proxyFor(url);
    const secure = await loadSecureModules();
    const key = proxy ? `tunnel ${proxy.url.href}` : 'https:';
    let agent = agents.get(key);
    if (!agent) {
        agent = proxy ? tunnelAgent(secure, proxy, tunnel) : new secure.https.Agent({ keepAlive: true });
        agents.set(key, agent);
    }
    return { agent, request: secure.https.request, proxy };
}

;// CONCATENATED MODULE: ./src/transport/sink.ts
const BUFFER_BYTES = 1024 * 1024;
const BUFFER_COUNT = 4;
/** Writes a chunk; resolves once the sink can take more (at once, after 'drain', or when the ring allows). */
function writeChunk(sink, chunk, onFlushed) {
    const ready = sink.write(chunk, () => onFlushed?.());
    // For a ring buffer, waiting for its flush is the backpressure; not waiting for 'drain' as well lets the
    // next read from disk overlap the socket's sending, with at most the ring's bytes in flight.
    if (ready || onFlushed)
        return Promise.resolve();
    return new Promise((resolve, reject) => {
        const done = (err) => {
            sink.off('drain', onDrain);
            sink.off('close', onClose);
            if (err)
                reject(err);
            else
                resolve();
        };
        const onDrain = () => done();
        const onClose = () => done(new SinkClosedError('the connection closed while the body was being sent'));
        sink.on('drain', onDrain);
        sink.on('close', onClose);
    });
}
/** The request ended under the body; the request itself reports why. */
class SinkClosedError extends Error {
    name = 'SinkClosedError';
    code = 'ESINKCLOSED';
}
/** A fixed set of buffers handed out in turn; each is lent again only after its write was flushed. */
class BufferRing {
    buffers = Array.from({ length: BUFFER_COUNT }, () => Buffer.allocUnsafe(BUFFER_BYTES));
    free = this.buffers.map(() => Promise.resolve());
    next = 0;
    closed = false;
    sinkClosed;
    /** A destroyed request may never call back for the writes it held: its close frees every buffer. */
    constructor(sink) {
        this.sinkClosed = new Promise((resolve) => sink.once('close', () => resolve()));
        void this.sinkClosed.then(() => (this.closed = true));
    }
    /** The next buffer, once its previous write has been flushed, and the function that marks it flushed. */
    async take() {
        const index = this.next;
        this.next = (this.next + 1) % this.buffers.length;
        await Promise.race([this.free[index], this.sinkClosed]);
        if (this.closed)
            throw new SinkClosedError('the connection closed while the body was being sent');
        let flushed;
        this.free[index] = new Promise((resolve) => (flushed = resolve));
        return { buffer: this.buffers[index], flushed };
    }
}
/** Sends up to `size` bytes of an open file; returns how many bytes the file really had (more means it grew). */
async function sendFileBytes(handle, size, ring, send) {
    let sent = 0;
    for (;;) {
        const { buffer, flushed } = await ring.take();
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) {
            flushed();
            return sent;
        }
        sent += bytesRead;
        if (sent > size) {
            flushed();
            return sent;
        }
        await send(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead), flushed);
    }
}

;// CONCATENATED MODULE: ./src/transport/http.ts




/** An answer larger than this is not read to its end: Applivery's and GitHub's answers are JSON a fraction of it. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
async function roundTrip(request, timings = DEFAULT_TIMINGS, signal) {
    const route = await routeFor(request.url, timings);
    return new Promise((resolve, reject) => {
        const { method, url, body } = request;
        const headers = { ...request.headers };
        if (typeof body === 'string') {
            headers['Content-Length'] = String(Buffer.byteLength(body));
        }
        else if (body) {
            headers['Content-Type'] = body.contentType;
            headers['Content-Length'] = String(body.contentLength);
        }
        const where = `${method} ${url.origin}${url.pathname}`;
        const via = route.proxy ? ` (through the proxy ${route.proxy.label})` : '';
        let bodySent = false;
        let settled = false;
        const sendsFile = typeof body === 'object';
        /** A failure of the body itself (the file changed or could not be read) is not a network failure. */
        let sourceError;
        const fail = (err) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(connectTimer);
            clearTimeout(deadline);
            if (sourceError)
                return reject(sourceError);
            if (err instanceof TransportError)
                return reject(err);
            const code = err.code ?? (err.name === 'AbortError' ? 'ABORT_ERR' : undefined);
            reject(certificateFailure(err, where, url.hostname) ?? new TransportError(`${where}${via}: ${err.message}`, code, bodySent));
        };
        const req = route.request(url, { method, headers, agent: route.agent, signal });
        // The limit covers everything before the first byte can go: DNS, TCP, a proxy's CONNECT, the TLS handshake.
        // Failed here, not when the request reports it: a request still waiting for its socket reports only once
        // the agent hands one over.
        const connectTimer = setTimeout(() => {
            const timeout = new TransportError(`${where}${via}: no connection after ${timings.connectMs / 1000}s`, 'ETIMEDOUT', false);
            fail(timeout);
            req.destroy(timeout);
        }, timings.connectMs);
        const connected = () => clearTimeout(connectTimer);
        // Besides the idle limit, a limit on the whole answer: a server that sends a byte now and then resets the
        // idle limit forever. Without a file, it runs from the start; with one, from its last byte.
        const startDeadline = (ms, what) => setTimeout(() => req.destroy(new TransportError(`${where}${via}: ${what}`, 'ETIMEDOUT', bodySent)), ms);
        let deadline = sendsFile ? undefined : startDeadline(timings.readMs, `no complete answer within ${timings.readMs / 1000}s`);
        req.setTimeout(timings.idleMs, () => {
            const awaited = bodySent && sendsFile;
            const what = awaited ? `no answer ${timings.responseMs / 1000}s after the last byte` : `no progress for ${timings.idleMs / 1000}s`;
            req.destroy(new TransportError(`${where}${via}: ${what}`, 'ETIMEDOUT', bodySent));
        });
        req.on('socket', (socket) => {
            // A server that is silent but alive answers keepalive probes; a vanished one is noticed within seconds.
            socket.setKeepAlive(true, timings.keepAliveMs);
            if (req.reusedSocket)
                connected();
            else if (url.protocol === 'https:')
                socket.once('secureConnect', connected);
            else if (socket.connecting)
                socket.once('connect', connected);
            else
                connected();
        });
        req.on('error', fail);
        req.on('finish', () => {
            bodySent = true;
            // Applivery may take many minutes to answer an upload it has received in full.
            if (sendsFile) {
                req.setTimeout(timings.responseMs);
                deadline = startDeadline(timings.responseMs, `no complete answer ${timings.responseMs / 1000}s after the last byte`);
            }
        });
        req.on('response', (res) => {
            connected();
            const chunks = [];
            let size = 0;
            res.on('data', (chunk) => {
                size += chunk.length;
                if (size > MAX_RESPONSE_BYTES) {
                    req.destroy(new TransportError(`${where}: answer larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; not read`, 'ERESPONSE', bodySent));
                    return;
                }
                chunks.push(chunk);
            });
            res.on('error', fail);
            res.on('end', () => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(deadline);
                const received = Buffer.concat(chunks);
                chunks.length = 0;
                resolve({ status: res.statusCode ?? 0, headers: res.headers, body: received });
                // An answer before the last byte (a refused token) ends the upload: nothing more needs sending.
                if (!bodySent)
                    req.destroy();
            });
        });
        if (body === undefined || typeof body === 'string') {
            req.end(body);
            return;
        }
        // A failing file must end the request now, not at the socket timeout.
        body.writeTo(req, request.onProgress).then(() => req.end(), (err) => {
            if (err instanceof SinkClosedError || settled)
                return;
            sourceError ??= err;
            req.destroy(err);
        });
    });
}

;// CONCATENATED MODULE: ./src/transport/exchange.ts
// One attempt of a request, following same-origin redirects: a redirect elsewhere fails, so the token stays home.


const MAX_REDIRECTS = 5;
async function exchange(request, { timings, signal, trace }) {
    let { method, url, body } = request;
    for (let redirects = 0;; redirects++) {
        const started = Date.now();
        const response = await roundTrip({ ...request, method, url, body }, timings, signal);
        trace?.(`${method} ${url.href} -> ${response.status} (${Date.now() - started} ms)`);
        const location = response.headers.location;
        if (response.status < 300 || response.status >= 400 || response.status === 304 || !location)
            return response;
        const target = new URL(location, url);
        const refuse = (why) => {
            throw new TransportError(`Applivery redirected to ${target.origin}${target.pathname}: ${why}`, 'EREDIRECT', true);
        };
        if (target.origin !== url.origin)
            refuse('another origin; not followed, so the token is not sent there');
        if (redirects >= MAX_REDIRECTS)
            refuse(`more than ${MAX_REDIRECTS} redirects`);
        if (response.status === 303 && method !== 'GET') {
            method = 'GET';
            body = undefined;
        }
        else if ((response.status === 301 || response.status === 302) && body !== undefined) {
            refuse(`HTTP ${response.status} would drop the request body`);
        }
        // 307/308 keep the method and body: a BodySource re-opens the file and streams it again.
        url = target;
    }
}

;// CONCATENATED MODULE: ./src/applivery/requests.ts






function requests_decoded(operation, data, decoder) {
    if (!decoder)
        return data;
    const value = decoder.decode(data);
    if (value !== undefined)
        return value;
    const shown = JSON.stringify(data) ?? String(data);
    const apiMessage = `The answer holds no ${decoder.what} with an id (data: ${shown.length > 100 ? `${shown.slice(0, 100)}...` : shown})`;
    throw new ApiError({ operation, httpStatus: 200, apiMessage, malformed: true });
}
class AppliveryRequests {
    options;
    timings;
    policy;
    constructor(options) {
        this.options = options;
        this.timings = options.timings ?? { ...DEFAULT_TIMINGS };
        this.policy = options.retry ?? retryPolicy(this.timings);
    }
    url(host, path, query) {
        const base = host === 'api' ? this.options.apiUrl : this.options.uploadUrl;
        const url = new URL(base.href.replace(/\/+$/, '') + path);
        for (const [key, value] of Object.entries(query ?? {})) {
            if (value !== undefined && value !== '')
                url.searchParams.set(key, String(value));
        }
        return url;
    }
    /** The one place a dry run is decided: a write is either sent, or planned and reported. */
    async sendOrPlan(endpoint, perform) {
        if (!this.options.dryRun)
            return { sent: true, value: await perform() };
        const json = endpoint.shownJson ?? endpoint.json;
        const body = endpoint.body?.describe() ?? (json === undefined ? [] : JSON.stringify(json, null, 2).split('\n'));
        const plan = { method: endpoint.method, url: this.url(endpoint.host, endpoint.path, endpoint.query).href, body };
        this.options.onPlanned?.(plan);
        return { sent: false, plan };
    }
    /** A write answered with its result, or only planned in a dry run. */
    write(endpoint, extra = {}) {
        return this.sendOrPlan(endpoint, () => this.perform(endpoint, extra));
    }
    /** A delete; one retried after a lost answer that finds its target gone was applied by the attempt before. */
    remove(endpoint) {
        const gone = Symbol('gone');
        return this.sendOrPlan(endpoint, async () => {
            const result = await this.perform(endpoint, { whenGone: (err) => (isGone(err) ? gone : undefined) });
            return { alreadyGone: result === gone };
        });
    }
    /** The answer's `data`, as `decode` makes it when given: an answer without what it must hold is malformed. */
    perform(endpoint, { decode, onBody, ...extra } = {}) {
        const headers = {
            Authorization: `Bearer ${this.options.token}`,
            Accept: 'application/json',
            'User-Agent': 'applivery-builds-action'
        };
        let body = endpoint.body;
        if (endpoint.json !== undefined) {
            headers['Content-Type'] = 'application/json';
            body = JSON.stringify(endpoint.json);
        }
        const { timings, options } = this;
        const request = {
            method: endpoint.method,
            url: this.url(endpoint.host, endpoint.path, endpoint.query),
            headers,
            body,
            onProgress: endpoint.onProgress
        };
        return withAttempts({
            operation: endpoint.operation,
            idempotent: endpoint.idempotent ?? endpoint.method !== 'POST',
            before: endpoint.body ? () => endpoint.body.verify() : undefined,
            attempt: async () => {
                const response = await exchange(request, { timings, signal: options.signal, trace: options.trace });
                onBody?.(response.body.length);
                return requests_decoded(endpoint.operation, unwrap(endpoint.operation, response), decode);
            },
            ...extra
        }, { policy: endpoint.once ? { ...this.policy, maxAttempts: 1 } : this.policy, signal: options.signal, warn: options.warn });
    }
}

;// CONCATENATED MODULE: ./src/applivery/client.ts







/** Smaller page sizes to ask for when Applivery refuses a larger one. */
const FALLBACK_PAGE_SIZES = [100, 20];
class AppliveryClient {
    options;
    requests;
    /** The largest page size Applivery accepted, once it refused a larger one; kept for the rest of the step. */
    pageSizeCap = Infinity;
    constructor(options) {
        this.options = options;
        this.requests = new AppliveryRequests(options);
    }
    /** Builds path for the client's scope; every id is URL-encoded so no input can change the path. */
    buildsPath(suffix = '') {
        const { scope } = this.options;
        const prefix = scope.kind === 'integrations'
            ? '/v1/integrations/builds'
            : `/v1/organizations/${encodeURIComponent(scope.organizationId)}/apps/${encodeURIComponent(scope.appId)}/builds`;
        return prefix + suffix;
    }
    getBuild(buildId) {
        return this.requests.perform({ operation: `Get build ${buildId}`, host: 'api', method: 'GET', path: this.buildsPath(buildSuffix(buildId)) }, { decode: BUILD });
    }
    async listPage(query, { fallback = false } = {}) {
        for (;;) {
            const limit = fallback && query.limit !== undefined ? Math.min(query.limit, this.pageSizeCap) : query.limit;
            try {
                const endpoint = {
                    operation: 'List builds',
                    host: 'api',
                    method: 'GET',
                    path: this.buildsPath(),
                    query: { ...query, limit }
                };
                let bytes = 0;
                const data = await this.requests.perform(endpoint, { onBody: (size) => (bytes = size) });
                return { ...pageOf('List builds', data, buildOf), bytes };
            }
            catch (err) {
                const smaller = fallback && limit !== undefined && refusesPageSize(err) ? FALLBACK_PAGE_SIZES.find((size) => size < limit) : undefined;
                if (smaller === undefined)
                    throw err;
                this.options.trace?.(`List builds: Applivery refused pages of ${limit} (${reason(err)}); asking for pages of ${smaller} from now on`);
                this.pageSizeCap = smaller;
            }
        }
    }
    updateBuild(buildId, fields) {
        const endpoint = {
            operation: `Update build ${buildId}`,
            host: 'api',
            method: 'PUT',
            path: this.buildsPath(buildSuffix(buildId)),
            json: fields
        };
        return this.requests.write(endpoint, { decode: BUILD });
    }
    deleteBuild(buildId) {
        return this.requests.remove({
            operation: `Delete build ${buildId}`,
            host: 'api',
            method: 'DELETE',
            path: this.buildsPath(buildSuffix(buildId))
        });
    }
    uploadBuild(body, applied, onProgress) {
        const endpoint = { operation: 'Upload build', host: 'upload', method: 'POST', path: this.buildsPath(), body, onProgress };
        return this.requests.write(endpoint, { applied, decode: BUILD });
    }
    attachFile(buildId, fileName, body, applied) {
        const path = this.buildsPath(`${buildSuffix(buildId)}/files`);
        const endpoint = { operation: `Attach ${fileName} to build ${buildId}`, host: 'upload', method: 'POST', path, body };
        return this.requests.write(endpoint, { applied, decode: BUILD });
    }
    listStores() {
        return listStores(this.requests);
    }
    publicationsAt(storeId) {
        return new PublicationsClient(this.requests, storeId);
    }
}
/** A page size refused (400, 422), or a page too large to read: asked again smaller. */
function refusesPageSize(err) {
    if (err instanceof TransportError)
        return err.code === 'ERESPONSE';
    return err instanceof ApiError && (err.httpStatus === 400 || err.httpStatus === 422);
}
function buildSuffix(buildId) {
    return `/${encodeURIComponent(buildId)}`;
}

;// CONCATENATED MODULE: ./src/transport/shared-write.ts
// A write to something other jobs write at the same moment (an install page, a pull request's comment), where the
// service has no conditional update: the whole thing is replaced by whoever writes last. So the write is verified
// by reading it back a while later, longer than another job takes from reading to writing; when this job's change
// is missing, another job wrote over it from an older read, and the change is made again on top of what is there.

class LostRaceError extends Error {
    name = 'LostRaceError';
}
/**
 * Writes this job's change on top of `current` (the thing as just read), and again until it holds. With
 * `alreadyWritten`, `current` is what this job has just written: it is only read back.
 */
async function writeShared(shared, current, { alreadyWritten = false } = {}) {
    for (let writes = 1;; writes++) {
        let failed;
        const written = alreadyWritten && writes === 1 ? current : await shared.write(current).catch((err) => (failed = err));
        if (failed !== undefined && !shared.transient?.(failed))
            throw failed;
        if (written === 'planned')
            return { writes };
        await (0,promises_namespaceObject.setTimeout)(shared.rereadMs * (1 + Math.random() / 2), undefined, { signal: shared.signal });
        current = await shared.read();
        if (current !== undefined && shared.holds(current))
            return { value: current, writes };
        const conflict = current === undefined ? undefined : shared.conflict?.(current);
        if (conflict)
            throw new LostRaceError(`${shared.what}: ${conflict}`);
        if (writes >= shared.maxWrites) {
            throw new LostRaceError(`${shared.what}: another job's write replaced this job's change after each of ${writes} writes; giving up ` +
                '(run the jobs that share it one after the other, or try again)');
        }
        const why = failed === undefined
            ? 'another job wrote it after this one did'
            : `the write failed (${failed?.message ?? String(failed)})`;
        shared.log(`${shared.what}: ${why}; writing this job's change again on top (${writes + 1} of ${shared.maxWrites})`);
    }
}

;// CONCATENATED MODULE: ./src/github/comment-sections.ts
// A comment that several jobs write, each its own section: a section is held between markers that name its key
// and when its content was made (an ISO time), and a job replaces only the section of its key, keeping the others
// as it found them. Two jobs of one key (two builds of one platform) agree that the newer content stays.
/** A key names a section in a marker: a short word. */
const SECTION_KEY = /^[a-z0-9-]{1,20}$/;
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const start = (key, stamp) => `<!-- applivery-builds-action:section=${key} at=${stamp} -->`;
const end = (key) => `<!-- applivery-builds-action:end=${key} -->`;
/** `content` between the markers of `key`; `stamp` says when it was made (an ISO time; anything else counts as oldest). */
function wrapSection(key, content, stamp) {
    if (!SECTION_KEY.test(key))
        throw new Error(`not a comment section key: ${key}`);
    return `${start(key, STAMP.test(stamp) ? stamp : '-')}\n${content}\n${end(key)}`;
}
/** The sections of a comment, by key, each with its markers. */
function sectionsOf(body) {
    const sections = new Map();
    const pattern = /<!-- applivery-builds-action:section=([a-z0-9-]{1,20}) at=[^ >]{1,40} -->\n[\s\S]*?\n<!-- applivery-builds-action:end=\1 -->/g;
    for (const match of body.matchAll(pattern))
        sections.set(match[1], match[0]);
    return sections;
}
/** When a section's content was made, as its marker says ('' when it does not). */
function stampOf(section) {
    const stamp = / at=([^ >]{1,40}) -->/.exec(section)?.[1] ?? '';
    return STAMP.test(stamp) ? stamp : '';
}

;// CONCATENATED MODULE: ./src/github/fetch.ts
// A fetch for octokit over the action's own transport: the same proxy (HTTPS_PROXY, NO_PROXY), CA trust and
// time limits as every request to Applivery, instead of @actions/github's undici dispatcher; and the same retry
// loop, for the network, a 5xx, and a rate limit that says when to come back.





const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);
/** A rate limit asking for longer is not waited out: the comment is left, with a warning. */
const MAX_WAIT_MS = 60_000;
/** A GitHub response worth trying again after, carried through the retry loop as a failure its policy can judge. */
class TransientResponse extends ResponseError {
    response;
    constructor(response, retryAfterMs, attempts = 1) {
        // A rate limit is a 429 to the policy, whichever status GitHub answered it with.
        const httpStatus = retryAfterMs !== undefined && response.status === 403 ? 429 : response.status;
        super({ operation: 'GitHub', httpStatus, apiMessage: `HTTP ${response.status}`, retryAfterMs }, attempts);
        this.response = response;
    }
    withAttemptCount(attempts) {
        return new TransientResponse(this.response, this.retryAfterMs, attempts);
    }
}
/** The response as a failure to try again after, or undefined when it is final. */
function transientFailure(response) {
    const told = parseRetryAfter(response.headers['retry-after']);
    if (told !== undefined && told > MAX_WAIT_MS)
        return undefined;
    // GitHub's rate limits answer 403 or 429 with Retry-After; other 403s (no permission) are final.
    if ((response.status === 403 || response.status === 429) && told !== undefined)
        return new TransientResponse(response, told);
    return TRANSIENT_STATUSES.has(response.status) ? new TransientResponse(response, told) : undefined;
}
function responseOf(request, options) {
    const operation = `GitHub ${request.method} ${request.url.pathname}`;
    const attempt = async () => {
        const response = await exchange(request, options);
        const failure = transientFailure(response);
        if (failure)
            throw failure;
        // Octokit parses the body: only within the bounds every answer is read in.
        const problem = jsonBoundsProblem(response.body.toString('utf8'));
        if (problem) {
            const apiMessage = `The answer was not read: ${problem}`;
            throw new ResponseError({ operation, httpStatus: response.status, apiMessage, malformed: true, unreadable: true });
        }
        return response;
    };
    // Every request may be repeated: a second comment from a repeated POST is cleared up in comments.ts.
    // An edit is sent once: the comment's writer rebuilds it from a fresh read instead of sending an old one late.
    const policy = request.method === 'PATCH' ? { ...options.policy, maxAttempts: 1 } : options.policy;
    return withAttempts({ operation, idempotent: true, attempt }, { policy, signal: options.signal }).catch((err) => {
        // The last response goes to octokit, which turns it into its own error.
        if (err instanceof TransientResponse)
            return err.response;
        throw err;
    });
}
function transportFetch(options) {
    return async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const method = (init?.method ?? 'GET').toUpperCase();
        const headers = Object.fromEntries(new Headers(init?.headers).entries());
        if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') {
            throw new TypeError('transportFetch sends string bodies only (octokit sends JSON)');
        }
        const response = await responseOf({ method, url, headers, body: init?.body ?? undefined }, options);
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
            for (const one of Array.isArray(value) ? value : [value ?? ''])
                responseHeaders.append(name, one);
        }
        // A Response refuses a body with these statuses.
        const empty = method === 'HEAD' || [204, 205, 304].includes(response.status);
        return new Response(empty ? null : response.body, { status: response.status, headers: responseHeaders });
    };
}
/** Octokit over the action's transport; loaded only here, when a step talks to GitHub. */
async function octokitFor({ token, apiUrl, transport }) {
    const { Octokit } = await __nccwpck_require__.e(/* import() */ 194).then(__nccwpck_require__.bind(__nccwpck_require__, 194));
    // Octokit writes what it notices (a Deprecation header's date and link: a server's text) with console unless told
    // otherwise: it goes to the action's debug trace instead, which neutralises it like every other line.
    const trace = (line) => transport.trace?.(line);
    const log = { debug: trace, info: trace, warn: trace, error: trace };
    return new Octokit({
        auth: token,
        baseUrl: apiUrl.replace(/\/+$/, ''),
        userAgent: 'applivery-builds-action',
        log,
        request: { fetch: transportFetch(transport), log }
    });
}

;// CONCATENATED MODULE: ./src/github/comments.ts
// A pull request's comment, found by a hidden marker at its start and by its author, the token's own identity:
// created the first time, edited in place after that. A person's comment is never edited, even one that starts
// with the marker. Octokit is loaded only here, when a comment is posted.




/** GitHub's default: 30 comments at their longest (65,536 characters) are still well within an answer's size limit. */
const PAGE_SIZE = 30;
/** A pull request's comments are walked within these bounds: 6,000 comments, 16 MiB of their text. */
const COMMENT_WALK = { pages: 200, bytes: 16 * 1024 * 1024, entries: 5_000, chars: 1024 * 1024 };
/** GitHub refuses a comment body over 65,536 characters. */
const MAX_COMMENT_CHARS = 60_000;
/** Writes of one comment at most, when other jobs keep writing over this one's section. */
const MAX_WRITES = 5;
class GitHubComments {
    options;
    constructor(options) {
        this.options = options;
    }
    async upsert(pullRequest, marker, section) {
        const octokit = await octokitFor(this.options);
        const redact = this.options.redact ?? ((text) => text);
        const own = redact(wrapSection(section.key, section.content, section.stamp));
        const bodyFrom = (current) => {
            const sections = current === undefined ? new Map() : sectionsOf(current);
            return capped(redact(section.render(sections.set(section.key, own))));
        };
        const { owner, repo } = pullRequest;
        const marked = await markedComments(octokit, pullRequest, marker);
        let mine = marked.length > 0 ? mineFirst(marked.filter(byAuthor(await authorOf(octokit))))[0] : undefined;
        let created;
        if (!mine) {
            const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
                owner,
                repo,
                issue_number: pullRequest.number,
                body: bodyFrom(undefined)
            });
            created = data;
            // Two jobs may both have found none and both created one: the older stays, the newer goes, and its section
            // is written into the older one.
            const login = created.user?.login;
            const author = login ? { login } : await authorOf(octokit);
            const first = (await markedComments(octokit, pullRequest, marker)).filter(byAuthor(author)).sort((a, b) => a.id - b.id)[0];
            if (first && first.id !== created.id) {
                await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: created.id });
                created = undefined;
                mine = first;
            }
            else {
                mine = created;
            }
        }
        const id = mine.id;
        const read = async () => {
            try {
                return (await octokit.request('GET /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: id }))
                    .data;
            }
            catch (err) {
                if (err.status === 404)
                    return undefined;
                throw err;
            }
        };
        const result = await writeShared({
            what: `The comment on pull request #${pullRequest.number}`,
            read,
            // Its own section, or a newer one for the same key (another job's later build of the same platform).
            holds: (comment) => {
                const theirs = sectionsOf(comment.body ?? '').get(section.key);
                return theirs === own || (theirs !== undefined && stampOf(theirs) > section.stamp);
            },
            transient: (err) => {
                const status = err.status;
                return typeof status !== 'number' || status >= 500 || status === 429;
            },
            write: async (current) => {
                if (current === undefined)
                    throw new Error(`comment ${id} was deleted meanwhile`);
                const { data } = await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
                    owner,
                    repo,
                    comment_id: id,
                    body: bodyFrom(current.body)
                });
                return data;
            },
            rereadMs: this.options.rereadMs,
            maxWrites: MAX_WRITES,
            log: (line) => this.options.log?.(line),
            signal: this.options.signal
        }, created ?? (await read()), { alreadyWritten: created !== undefined });
        return { action: created ? 'created' : 'updated', url: result.value?.html_url ?? mine.html_url };
    }
}
/** A body GitHub takes: one past its limit is cut, with a line that says so. */
function capped(body) {
    if (body.length <= MAX_COMMENT_CHARS)
        return body;
    return `${body.slice(0, MAX_COMMENT_CHARS)}\n\n… (cut at ${MAX_COMMENT_CHARS.toLocaleString('en')} characters)`;
}
/** The token's identity. An installation token (GITHUB_TOKEN, a GitHub App's) may not read /user: it comments as a bot. */
async function authorOf(octokit) {
    try {
        const { data } = await octokit.request('GET /user');
        const login = data.login;
        if (typeof login === 'string' && login !== '')
            return { login };
    }
    catch (err) {
        if (err.status !== 403)
            throw err;
    }
    return 'bot';
}
/** As a bot, the comments of GITHUB_TOKEN's own bot come before another GitHub App's. */
function mineFirst(comments) {
    const actions = (comment) => (comment.user?.login === 'github-actions[bot]' ? 0 : 1);
    return [...comments].sort((a, b) => actions(a) - actions(b));
}
function byAuthor(author) {
    return author === 'bot' ? (comment) => comment.user?.type === 'Bot' : (comment) => comment.user?.login === author.login;
}
/** The comments that start with the marker (a person quoting it would not), oldest first; the walk is bounded. */
async function markedComments(octokit, { owner, repo, number }, marker) {
    const marked = [];
    const budget = new WalkBudget('List the pull request comments', COMMENT_WALK);
    for (let page = 1;; page++) {
        budget.page();
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            owner,
            repo,
            issue_number: number,
            per_page: PAGE_SIZE,
            page
        });
        const comments = Array.isArray(data) ? data : [];
        // Only what is needed of each: a page's bodies are let go before the next page is read.
        for (const comment of comments) {
            if (typeof comment?.body !== 'string')
                continue;
            budget.read(comment.body.length);
            if (typeof comment.id === 'number' && comment.body.startsWith(marker)) {
                const kept = {
                    id: comment.id,
                    html_url: String(comment.html_url ?? ''),
                    user: { login: comment.user?.login, type: comment.user?.type }
                };
                budget.keep(kept);
                marked.push(kept);
            }
        }
        if (comments.length < PAGE_SIZE)
            return marked;
    }
}

;// CONCATENATED MODULE: ./src/output/secrets.ts
// The step's secrets (tokens, a page password, proxy passwords) in every form a server or a library may echo
// them in: as written, base64 and base64url at each of the three byte alignments, and URL-encoded. Each form is
// masked by the runner and redacted by the step itself from whatever it writes (log, job summary, comment).
/** Forms shorter than this are not secrets worth the noise of masking (a 2-character base64 tail matches anything). */
const MIN_FORM_LENGTH = 6;
/**
 * The base64 text that `value` always encodes to when it sits at any offset inside a longer base64 string
 * (`Basic dXNlcjp0b2tlbg==` holds `user:token`): for each of the three alignments, the characters that only
 * the value's own bits decide.
 */
function base64Forms(value) {
    const forms = [];
    for (const shift of [0, 1, 2]) {
        const encoded = Buffer.concat([Buffer.alloc(shift), value])
            .toString('base64')
            .replace(/=+$/, '');
        // Characters that hold bits of the leading padding bytes, and a last character that holds bits of whatever follows.
        const start = [0, 2, 3][shift];
        const end = (shift + value.length) % 3 === 0 ? encoded.length : encoded.length - 1;
        forms.push(encoded.slice(start, end));
    }
    return forms;
}
/** The forms of a secret worth redacting: as written, base64 and base64url at each alignment, URL- and JSON-escaped. */
function secretForms(secret) {
    const base64 = base64Forms(Buffer.from(secret, 'utf8'));
    const base64url = base64.map((form) => form.replace(/\+/g, '-').replace(/\//g, '_'));
    // The job summary escapes HTML's characters as numeric references before it is redacted.
    const html = secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const forms = [secret, ...base64, ...base64url, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), html];
    return [...new Set(forms)].filter((form) => form.length >= MIN_FORM_LENGTH);
}
/** A text cut short ends so ('...' in an error's quote, '…' in a log line's): a secret's start may be just before. */
const CUT_MARKS = ['...', '…'];
/** The shortest start of a secret, before a cut, that is redacted. */
const MIN_CUT_PREFIX = 8;
class Secrets {
    /** Every form of every secret, longest first, so a form inside a longer one is not redacted half. */
    forms = [];
    /** The secrets as written, for their starts before a cut. */
    raw = [];
    /**
     * Adds a secret; returns what the runner should mask: the secret as written (however short), and its other
     * forms. A secret shorter than MIN_FORM_LENGTH is left to the runner: redacting it would redact half the log.
     */
    add(secret) {
        if (secret === '')
            return [];
        const added = secretForms(secret).filter((form) => !this.forms.includes(form));
        this.forms = [...this.forms, ...added].sort((a, b) => b.length - a.length);
        if (secret.length > MIN_CUT_PREFIX && !this.raw.includes(secret))
            this.raw.push(secret);
        return [...new Set([secret, ...added])];
    }
    /** `text` with every form of every secret replaced by `***`. */
    redact(text) {
        let redacted = text;
        for (const form of this.forms)
            if (redacted.includes(form))
                redacted = redacted.split(form).join('***');
        return this.redactCutStarts(redacted);
    }
    /** A secret cut short where a quote was cut: its start, just before the cut mark. */
    redactCutStarts(text) {
        let out = text;
        for (const mark of CUT_MARKS) {
            for (let at = out.indexOf(mark); at >= 0; at = out.indexOf(mark, at + mark.length)) {
                for (const secret of this.raw) {
                    let k = Math.min(secret.length - 1, at);
                    while (k >= MIN_CUT_PREFIX && out.slice(at - k, at) !== secret.slice(0, k))
                        k--;
                    if (k >= MIN_CUT_PREFIX) {
                        out = `${out.slice(0, at - k)}***${out.slice(at)}`;
                        at = at - k + 3;
                        break;
                    }
                }
            }
        }
        return out;
    }
}

;// CONCATENATED MODULE: ./src/output/log.ts
// The one way out to the log. The runner reads every line a step prints as a possible workflow command
// (`::add-mask::`, `::error::`, `::stop-commands::`, and the legacy `##[command]` anywhere in a line), and text
// from outside the workflow file (Applivery's answers, file names, GitHub) may carry one. Every line the step
// writes passes through `commandSafe` here, after every form of every secret was redacted; no other module
// prints. Outside text placed inside a message goes through `inline` first, so it stays on its line.


/** Invisible, and not white space to the runner: a line holding it before `::` or `[` is no command. */
const BREAK = '\u200b';
/** White space the runner trims before looking for `::` (.NET's, which counts U+0085 too). */
const LEADING_COMMAND = /^([\s\u0085]*)::/;
/** One line that the runner will print, never run. */
function commandSafeLine(line) {
    return line.replace(/##\[/g, `##${BREAK}[`).replace(LEADING_COMMAND, `$1:${BREAK}:`);
}
/** The runner ends a line at CR as at LF: each line, however it ends, is made safe. */
function commandSafe(text) {
    return text
        .split(/\r\n|\r|\n/)
        .map(commandSafeLine)
        .join('\n');
}
/** Control characters but the tab, and the separators some viewers break lines at. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;
/**
 * Outside text (a field of Applivery's answer, a file name) for a place inside a line: control characters shown
 * as escapes (a line break as `\n`), and cut to `max` characters.
 */
function inline(value, max = 200) {
    const text = String(value ?? '');
    const cut = text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
    return cut.replace(CONTROL_CHARACTERS, (c) => c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
/** The action's log: @actions/core, with secrets redacted and commands neutralised; the one place that fails the step. */
class ActionLog {
    secrets;
    constructor(secrets = new Secrets()) {
        this.secrets = secrets;
    }
    /** Masks a secret in every form (the runner's masking) and redacts it from everything written after. */
    addSecret(secret) {
        for (const form of this.secrets.add(secret))
            core_setSecret(form);
    }
    /** Outside text with every secret redacted: for the job summary and the comment, which have escapers of their own. */
    redact(text) {
        return this.secrets.redact(text);
    }
    safe(message) {
        return commandSafe(this.secrets.redact(message));
    }
    info(message) {
        info(this.safe(message));
    }
    warning(message) {
        warning(this.safe(message));
    }
    notice(message) {
        notice(this.safe(message));
    }
    debug(message) {
        core_debug(this.safe(message));
    }
    isDebug() {
        return isDebug();
    }
    /** Fails the step with `message` as its error annotation. */
    fail(message) {
        setFailed(this.safe(message));
    }
}

;// CONCATENATED MODULE: ./src/github/commits.ts
// A repository's history through GitHub's compare API, for release notes when the checkout lacks the commits.
// Octokit is loaded only here and in comments.ts, when a step needs GitHub.


/** A message's subject as git's %s gives it: its first paragraph, lines joined by spaces. */
function subjectOf(message) {
    const paragraph = message
        .replace(/\r\n?/g, '\n')
        .trim()
        .split(/\n[ \t]*\n/)[0] ?? '';
    return paragraph
        .split('\n')
        .map((line) => line.trim())
        .join(' ');
}
const commits_HINTS = {
    401: 'github-token was not accepted',
    403: 'the job needs permissions: contents: read, or met a rate limit',
    404: 'a commit GitHub does not have, or no access to the repository with github-token (permissions: contents: read)'
};
class GitHubCommits {
    options;
    constructor(options) {
        this.options = options;
    }
    async commitsBetween(repository, base, head) {
        const octokit = await octokitFor(this.options);
        const [owner, repo] = repository.split('/');
        let data;
        try {
            // Without paging parameters GitHub answers the newest 250 commits of the range (oldest first) and the total.
            ;
            ({ data } = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', { owner, repo, basehead: `${base}...${head}` }));
        }
        catch (err) {
            throw new Error(`GitHub's compare API ${failure(err)}`, { cause: err });
        }
        const answer = (typeof data === 'object' && data !== null ? data : {});
        const commits = Array.isArray(answer.commits) ? answer.commits : [];
        const messages = commits.map((commit) => commit?.commit?.message);
        if (!Array.isArray(answer.commits) || messages.some((message) => typeof message !== 'string')) {
            throw new Error("GitHub's compare API answered without a list of commits and their messages");
        }
        const total = typeof answer.total_commits === 'number' && answer.total_commits >= commits.length ? answer.total_commits : commits.length;
        return { subjects: messages.map(subjectOf).reverse(), total };
    }
}
/** What went wrong, with GitHub's answer when there was one (octokit's errors carry it) and a hint for the usual ones. */
function failure(err) {
    const { status, response } = err;
    const message = err instanceof Error ? err.message : String(err);
    if (response === undefined || typeof status !== 'number')
        return `failed: ${inline(message, 300)}`;
    const said = inline(message.replace(/ - https:\/\/docs\.github\.com\S*$/, ''), 300);
    return `answered ${status} (${said})${commits_HINTS[status] ? `: ${commits_HINTS[status]}` : ''}`;
}

;// CONCATENATED MODULE: ./node_modules/@actions/github/lib/context.js


class Context {
    /**
     * Hydrate the context from the environment
     */
    constructor() {
        var _a, _b, _c;
        this.payload = {};
        if (process.env.GITHUB_EVENT_PATH) {
            if ((0,external_fs_.existsSync)(process.env.GITHUB_EVENT_PATH)) {
                this.payload = JSON.parse((0,external_fs_.readFileSync)(process.env.GITHUB_EVENT_PATH, { encoding: 'utf8' }));
            }
            else {
                const path = process.env.GITHUB_EVENT_PATH;
                process.stdout.write(`GITHUB_EVENT_PATH ${path} does not exist${external_os_namespaceObject.EOL}`);
            }
        }
        this.eventName = process.env.GITHUB_EVENT_NAME;
        this.sha = process.env.GITHUB_SHA;
        this.ref = process.env.GITHUB_REF;
        this.workflow = process.env.GITHUB_WORKFLOW;
        this.action = process.env.GITHUB_ACTION;
        this.actor = process.env.GITHUB_ACTOR;
        this.job = process.env.GITHUB_JOB;
        this.runAttempt = parseInt(process.env.GITHUB_RUN_ATTEMPT, 10);
        this.runNumber = parseInt(process.env.GITHUB_RUN_NUMBER, 10);
        this.runId = parseInt(process.env.GITHUB_RUN_ID, 10);
        this.apiUrl = (_a = process.env.GITHUB_API_URL) !== null && _a !== void 0 ? _a : `https://api.github.com`;
        this.serverUrl = (_b = process.env.GITHUB_SERVER_URL) !== null && _b !== void 0 ? _b : `https://github.com`;
        this.graphqlUrl =
            (_c = process.env.GITHUB_GRAPHQL_URL) !== null && _c !== void 0 ? _c : `https://api.github.com/graphql`;
    }
    get issue() {
        const payload = this.payload;
        return Object.assign(Object.assign({}, this.repo), { number: (payload.issue || payload.pull_request || payload).number });
    }
    get repo() {
        if (process.env.GITHUB_REPOSITORY) {
            const [owner, repo] = process.env.GITHUB_REPOSITORY.split('/');
            return { owner, repo };
        }
        if (this.payload.repository) {
            return {
                owner: this.payload.repository.owner.login,
                repo: this.payload.repository.name
            };
        }
        throw new Error("context.repo requires a GITHUB_REPOSITORY environment variable like 'owner/repo'");
    }
}
//# sourceMappingURL=context.js.map
;// CONCATENATED MODULE: ./src/github/context.ts
// GitHub's context, read by @actions/github's own Context class. The package's entry point also loads
// octokit and, when HTTPS_PROXY is set, builds a proxy fetch dispatcher as it is imported: the context
// alone is taken from its file, so nothing that talks to GitHub is loaded unless a step needs it.


;// CONCATENATED MODULE: ./src/settings/inputs.ts
// Low-level input readers. Every failure names the input and what it accepts.

/** Reads inputs the way the runner passes them: INPUT_<NAME>, upper-cased, spaces to '_', hyphens kept. */
function envInputs(env = process.env) {
    return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
class InputError extends Error {
    input;
    constructor(input, detail) {
        super(`Input '${input}': ${detail}`);
        this.input = input;
        this.name = 'InputError';
    }
}
/** The YAML 1.2 core-schema booleans, as core.getBooleanInput accepts them; '' means not set. */
function parseBoolean(input, value) {
    if (value === '')
        return undefined;
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new InputError(input, `expected true or false, got '${value}'`);
}
function parseChoice(input, value, choices, extra = '') {
    if (value === '')
        return undefined;
    if (choices.includes(value))
        return value;
    throw new InputError(input, `'${value}' is not one of ${choices.join(', ')}${extra}`);
}
function parseWholeNumber(input, value, { min }) {
    if (value === '')
        return undefined;
    if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
        throw new InputError(input, `expected a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'}, got '${value}'`);
    }
    return Number(value);
}
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** '90' (seconds, where allowed), '90s', '15m', '1h', '30d', '2w', or combinations such as '1h30m'. */
function parseDuration(input, value, rules) {
    if (value === '')
        return undefined;
    if (rules.secondsWithoutUnit && /^\d+$/.test(value)) {
        if (Number(value) <= 0)
            throw new InputError(input, `must be longer than zero, got '${value}'`);
        return Number(value) * 1000;
    }
    const units = `[${rules.units}]`;
    if (!new RegExp(`^(\\d+${units})+$`).test(value)) {
        const accepted = `${rules.secondsWithoutUnit ? 'seconds or ' : ''}a number with a unit (${rules.units.split('').join(', ')})`;
        throw new InputError(input, `expected ${accepted}, e.g. ${rules.example}, got '${value}'${rules.hint ? `; ${rules.hint}` : ''}`);
    }
    let ms = 0;
    for (const [, amount, unit] of value.matchAll(/(\d+)([smhdw])/g))
        ms += Number(amount) * UNIT_MS[unit];
    if (ms <= 0)
        throw new InputError(input, `must be longer than zero, got '${value}'`);
    return ms;
}
/** Splits on commas and newlines; trims; drops empty entries. */
function splitList(value) {
    return value
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter((item) => item !== '');
}
/** One line per OR clause, groups within a line separated by commas (AND); '|' also separates OR clauses. */
function parseGroups(value) {
    return value
        .split(/[\n|]/)
        .map((clause) => clause
        .split(',')
        .map((group) => group.trim())
        .filter((group) => group !== ''))
        .filter((clause) => clause.length > 0);
}
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
function parseId(input, value) {
    if (value === '')
        return undefined;
    if (!ID_PATTERN.test(value) || value.length > 128) {
        throw new InputError(input, `'${value}' is not an Applivery id (letters, digits, '-' and '_' only)`);
    }
    return value;
}
/** A token goes into a header: white space or a control character in it is a pasting mistake, never sent (nor echoed). */
function checkToken(input, token) {
    if (/\s/.test(token) || new RegExp(CONTROL_CHARACTERS.source).test(token)) {
        throw new InputError(input, 'contains white space or a control character; check the secret for a stray line break');
    }
}
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
/** https only; http only for loopback hosts (a local sandbox); no user info, query or fragment. */
function parseServiceUrl(input, value) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new InputError(input, `'${value}' is not a URL; expected e.g. https://api.applivery.io`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
        throw new InputError(input, `'${value}' must use https:// (http:// is accepted only for loopback: localhost, 127.0.0.0/8, [::1])`);
    }
    if (url.username || url.password)
        throw new InputError(input, 'must not contain a user name or password');
    if (url.search || url.hash)
        throw new InputError(input, 'must not contain a query (?) or fragment (#)');
    return url;
}
function parseJsonObject(input, value) {
    if (value === '')
        return undefined;
    let parsed;
    try {
        parsed = JSON.parse(value);
    }
    catch (err) {
        throw new InputError(input, `is not valid JSON (${err.message}); expected a JSON object such as {"team": "mobile"}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new InputError(input, 'expected a JSON object such as {"team": "mobile"}');
    }
    return parsed;
}
/** A value that its input's default guarantees; still checked, so a missing default fails clearly. */
function required(input, value) {
    if (value === undefined)
        throw new InputError(input, 'is required');
    return value;
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:fs/promises"
const external_node_fs_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: ./src/transport/multipart.ts
// A multipart/form-data body streamed from disk with an exact Content-Length, sent again whole per attempt.



const CRLF = '\r\n';
/** Per the WHATWG form-data encoding: quotes and line breaks in names are percent-escaped. */
function escapeName(name) {
    return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function partHeader(boundary, part) {
    let header = `--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeName(part.name)}"`;
    if ('file' in part) {
        header += `; filename="${escapeName(part.filename)}"${CRLF}`;
        header += `Content-Type: ${part.contentType ?? 'application/octet-stream'}`;
    }
    return Buffer.from(header + CRLF + CRLF, 'utf8');
}
const MAX_SHOWN_VALUE = 200;
function describePart(part) {
    if ('file' in part)
        return `${part.name}: ${JSON.stringify(part.filename)} (${part.file.size} bytes)`;
    const value = JSON.stringify(part.value);
    return `${part.name}: ${value.length > MAX_SHOWN_VALUE ? `${value.slice(0, MAX_SHOWN_VALUE)}..." (${part.value.length} characters)` : value}`;
}
function multipartBody(parts, boundary = `----applivery${(0,external_node_crypto_namespaceObject.randomBytes)(16).toString('hex')}`) {
    const heads = parts.map((part) => partHeader(boundary, part));
    const tail = Buffer.from(`--${boundary}--${CRLF}`, 'utf8');
    let contentLength = tail.length;
    parts.forEach((part, i) => {
        contentLength += heads[i].length + ('file' in part ? part.file.size : Buffer.byteLength(part.value)) + CRLF.length;
    });
    const crlf = Buffer.from(CRLF);
    const writeTo = async (sink, onProgress) => {
        const ring = new BufferRing(sink);
        let sent = 0;
        const counted = (chunk, onFlushed) => {
            sent += chunk.length;
            onProgress?.(sent);
            return writeChunk(sink, chunk, onFlushed);
        };
        for (const [i, part] of parts.entries()) {
            await counted(heads[i]);
            if ('file' in part)
                await sendFile(part.file, ring, counted);
            else
                await counted(Buffer.from(part.value, 'utf8'));
            await counted(crlf);
        }
        await counted(tail);
    };
    return {
        contentType: `multipart/form-data; boundary=${boundary}`,
        contentLength,
        verify: async () => {
            for (const part of parts)
                if ('file' in part)
                    checkUnchanged(part.file, await statByPath(part.file));
        },
        writeTo,
        describe: () => parts.map(describePart)
    };
}
/**
 * Streams the file and fails if it does not hold exactly the bytes it had when the body was sized, or if the
 * path names another file by the end (replaced by a rename, or deleted): before the body's last byte, so the
 * server never gets a whole request from it.
 */
async function sendFile(file, ring, send) {
    const handle = await (0,external_node_fs_promises_namespaceObject.open)(file.path, 'r');
    try {
        checkUnchanged(file, await handle.stat());
        const sent = await sendFileBytes(handle, file.size, ring, send);
        if (sent !== file.size)
            throw new FileChangedError(`${file.path} changed while it was being uploaded`);
        checkUnchanged(file, await handle.stat());
        checkUnchanged(file, await statByPath(file));
    }
    finally {
        await handle.close();
    }
}
async function statByPath(file) {
    try {
        return await (0,external_node_fs_promises_namespaceObject.stat)(file.path);
    }
    catch (err) {
        const code = err.code;
        const what = code === 'ENOENT' ? 'was deleted' : `could no longer be read (${code ?? String(err)})`;
        throw new FileChangedError(`${file.path} ${what} while it was being uploaded; upload a file that nothing else is changing`);
    }
}
function checkUnchanged(file, now) {
    const differs = (was, is) => was !== undefined && was !== is;
    if (differs(file.ino, now.ino) || differs(file.dev, now.dev)) {
        throw new FileChangedError(`${file.path} was replaced by another file while it was being uploaded; upload a file that nothing else is changing`);
    }
    if (now.size !== file.size || differs(file.mtimeMs, now.mtimeMs)) {
        throw new FileChangedError(`${file.path} changed while it was being uploaded (${file.size} bytes expected, ${now.size} found); ` +
            'upload a file that nothing else is writing');
    }
}
class FileChangedError extends Error {
    name = 'FileChangedError';
    code = 'EFILECHANGED';
}

;// CONCATENATED MODULE: ./src/output/format.ts
// How sizes and durations read in the log and the job summary.
function formatBytes(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
function formatDuration(ms) {
    const seconds = Math.round(ms / 1000);
    if (seconds < 120)
        return `${seconds}s`;
    const minutes = Math.round(seconds / 60);
    return minutes < 120 ? `${minutes}m` : `${Math.round(minutes / 60)}h`;
}

;// CONCATENATED MODULE: ./src/applivery/types.ts
// Shapes of the Builds API as documented (see the Applivery docs); only what the action reads is typed.
const TERMINAL_STATUSES = new Set(['processed', 'success', 'error']);
function isFinished(status) {
    return TERMINAL_STATUSES.has(status);
}

;// CONCATENATED MODULE: ./src/operations/wait.ts
// Polls the build-details endpoint until processing ends, backing off so a long wait stays cheap; and delete and
// attach, which need a processed build: on 5014 they wait for processing (within wait-timeout), then act once more.





/** A failed build's processing log is quoted up to this many lines (its last). */
const MAX_LOG_LINES = 20;
class ProcessingFailedError extends Error {
    build;
    constructor(build) {
        // Applivery's text, quoted: a few lines of it, each cut short.
        const code = build.errorCode ? ` (error code ${inline(build.errorCode, 40)})` : '';
        const lines = Array.isArray(build.processLogs) ? build.processLogs : [];
        const shown = lines.slice(-MAX_LOG_LINES).map((line) => `  ${inline(typeof line === 'string' ? line : JSON.stringify(line), 300)}`);
        const more = lines.length > MAX_LOG_LINES ? [`  (the last ${MAX_LOG_LINES} of ${lines.length} lines)`] : [];
        const logs = shown.length > 0 ? `\nProcessing log:\n${[...shown, ...more].join('\n')}` : '';
        super(`Applivery could not process build ${build.id}${code}: ${inline(build.error || 'no error message', 300)}${logs}`);
        this.build = build;
        this.name = 'ProcessingFailedError';
    }
}
class WaitTimeoutError extends Error {
    constructor(build, timeoutMs) {
        super(`Build ${build.id} was still '${inline(build.status, 40)}' after waiting ${formatDuration(timeoutMs)} (wait-timeout). ` +
            'Raise wait-timeout, or look the build up later with operation: get.');
        this.name = 'WaitTimeoutError';
    }
}
/** The gap before the next poll, `elapsedMs` into the wait: twice the last, up to the cap of the wait's age. */
function nextPollMs(previousMs, elapsedMs, timings) {
    const cap = elapsedMs < timings.pollEarlyForMs ? Math.min(timings.pollEarlyMaxMs, timings.pollMaxMs) : timings.pollMaxMs;
    return Math.min(previousMs * 2, cap);
}
async function waitForProcessing(ctx, buildId, timeoutMs, known) {
    const started = Date.now();
    const deadline = started + timeoutMs;
    let build = known ?? (await ctx.api.getBuild(buildId));
    ctx.report.build = build;
    ctx.log.info(`Build ${buildId} is '${inline(build.status, 40)}'`);
    let interval = ctx.timings.pollFirstMs;
    while (!isFinished(build.status)) {
        const remaining = deadline - Date.now();
        if (remaining <= 0)
            throw new WaitTimeoutError(build, timeoutMs);
        await (0,promises_namespaceObject.setTimeout)(Math.min(interval, remaining), undefined, { signal: ctx.signal });
        interval = nextPollMs(interval, Date.now() - started, ctx.timings);
        const previous = build.status;
        build = await ctx.api.getBuild(buildId);
        ctx.report.build = build;
        if (build.status !== previous) {
            ctx.log.info(`Build ${buildId}: '${inline(previous, 40)}' -> '${inline(build.status, 40)}' after ${formatDuration(Date.now() - started)}`);
        }
    }
    if (build.status === 'error')
        throw new ProcessingFailedError(build);
    return build;
}
const BUILD_NOT_PROCESSED = 5014;
/**
 * Runs `act`; when Applivery answers that the build is still being processed, waits for processing and runs it
 * once more. With `evenIfFailed` (what to log), a build whose processing failed is acted on all the same.
 */
async function actWhenProcessed(ctx, buildId, timeoutMs, act, { evenIfFailed } = {}) {
    try {
        return await act();
    }
    catch (err) {
        if (!(err instanceof ApiError) || Number(err.code) !== BUILD_NOT_PROCESSED)
            throw err;
    }
    ctx.log.info(`Build ${buildId} is still being processed; waiting up to ${formatDuration(timeoutMs)} (wait-timeout)`);
    try {
        await waitForProcessing(ctx, buildId, timeoutMs);
    }
    catch (err) {
        if (!(evenIfFailed && err instanceof ProcessingFailedError))
            throw err;
        ctx.log.info(`Build ${buildId} failed processing; ${evenIfFailed}`);
    }
    return act();
}

;// CONCATENATED MODULE: ./src/operations/attach.ts
// operation: attach — one request per file; each answer is the build with its attached files.




function isSameFile(record, file, description) {
    return record.file?.originalName === file.name && record.file?.size === file.size && (record.description ?? '') === (description ?? '');
}
/** A record of this file that was not on the build before the attempt: the attachment was applied. */
function findAttached(ctx, buildId, file, description, before) {
    return async () => {
        const build = await ctx.api.getBuild(buildId);
        const added = (build.files ?? []).some((record) => !before.has(record.id) && isSameFile(record, file, description));
        return added ? build : undefined;
    };
}
async function attach(ctx, buildId, settings, waitTimeoutMs) {
    if (settings.files.length === 0) {
        ctx.log.warning('No files to attach');
        return;
    }
    // The files already on the build tell a lost answer of an applied attachment from a failed one.
    let build = await ctx.api.getBuild(buildId);
    ctx.report.build = build;
    for (const file of settings.files) {
        const parts = [];
        if (settings.description !== undefined)
            parts.push({ name: 'description', value: settings.description });
        parts.push({ name: 'file', filename: file.name, file });
        ctx.log.info(`Attaching ${inline(file.name)} (${formatBytes(file.size)}) to build ${buildId}`);
        const before = new Set((build.files ?? []).map((record) => record.id));
        const body = multipartBody(parts);
        const attached = await actWhenProcessed(ctx, buildId, waitTimeoutMs, () => ctx.api.attachFile(buildId, file.name, body, findAttached(ctx, buildId, file, settings.description, before)));
        if (!attached.sent)
            continue;
        build = attached.value;
        ctx.report.build = build;
        ctx.report.files = build.files ?? [];
        // The network may have taken the file's last bytes before it changed: its path is checked once more.
        await body.verify().catch((err) => {
            throw new Error(`${err instanceof Error ? err.message : String(err)}. Build ${buildId} holds the file as it was read`, { cause: err });
        });
    }
}

;// CONCATENATED MODULE: ./src/install-pages/body.ts
/** The per-OS keys a filter pins a build with (`filter.ios`, ...), as documented. */
const PIN_KEYS = ['ios', 'android', 'macos', 'windows'];
/** The platforms a `filter.builds[]` entry may name, as documented. */
const LISTED_PLATFORMS = ['ios', 'macos', 'android', 'ps4', 'ps5', 'switch', 'xbox-one', 'xbox-series'];
/**
 * The fields a PUT takes, as documented. A PUT replaces the whole publication, so those not being changed are
 * sent back as read; read-only ones (id, distributionUrl, dates) are not, as a strict validator refuses them.
 * `application` goes back as its id only: an answer may hold it as an object.
 */
const WRITABLE_FIELDS = [
    'slug',
    'security',
    'visibility',
    'filter',
    'tags',
    'groups',
    'activateUserAudiences',
    'userAudienceMap',
    'showHistory',
    'showDevInfo',
    'configuration',
    'terms',
    'allowedCountries',
    'blockedCountries',
    'hideAttachedFiles',
    'expirationDate'
];
/** The OS a build is pinned under: Applivery's `os`, or the custom platform it was uploaded as. */
function platformOf(build) {
    const platform = [build.os, build.buildPlatform]
        .map((value) => String(value ?? '').toLowerCase())
        .find((value) => value && value !== 'unknown');
    if (platform && (PIN_KEYS.includes(platform) || LISTED_PLATFORMS.includes(platform)))
        return platform;
    throw new Error(`publication-filter build: Applivery does not say build ${build.id}'s platform (os '${String(build.os ?? '')}'), so it cannot be pinned; choose another filter`);
}
/** The builds a filter pins, by OS, whichever of the two documented forms it uses. */
function pins(filter) {
    const pinned = {};
    if (!filter || (filter.type !== 'builds' && filter.type !== 'build'))
        return pinned;
    for (const key of PIN_KEYS)
        if (typeof filter[key] === 'string' && filter[key])
            pinned[key] = filter[key];
    // An answer's builds may not be the documented list.
    const listed = Array.isArray(filter.builds) ? filter.builds : [];
    for (const pin of listed) {
        if (typeof pin?.id === 'string' && pin.id && typeof pin.buildPlatform === 'string' && pin.buildPlatform)
            pinned[pin.buildPlatform] = pin.id;
    }
    return pinned;
}
/** Applivery's filter for the settings; `build` pins the build for its OS and keeps the other OSes' pins. */
function publicationFilter(settings, build, current) {
    switch (settings.kind) {
        case 'branch':
            return { type: 'gitBranch', value: settings.branch };
        case 'git-tag':
            return { type: 'gitTag', value: settings.tag };
        case 'tags':
            return { type: 'tag', value: settings.tags.join(',') };
        case 'last':
            return { type: 'last' };
        case 'build': {
            if (!build)
                throw new Error('publication-filter build: no build to pin');
            const pinned = { ...pins(current), [platformOf(build)]: build.id };
            // Both documented forms, each with only the platforms it documents: per-OS keys and a builds list.
            const keys = Object.fromEntries(Object.entries(pinned).filter(([platform]) => PIN_KEYS.includes(platform)));
            const builds = Object.entries(pinned)
                .filter(([platform]) => LISTED_PLATFORMS.includes(platform))
                .map(([buildPlatform, id]) => ({ buildPlatform, id }));
            return { type: 'builds', ...keys, builds };
        }
    }
}
/** One form for comparing: type, value and pins, whatever else the server adds. */
function canonicalFilter(filter) {
    const pinned = pins(filter);
    const type = filter?.type === 'build' ? 'builds' : filter?.type;
    return JSON.stringify([
        type,
        filter?.value ?? '',
        Object.keys(pinned)
            .sort()
            .map((key) => [key, pinned[key]])
    ]);
}
function applicationIdOf(publication) {
    const app = publication.application;
    return typeof app === 'string' ? app : app?.id;
}
/** The body to send: the publication as read (writable fields only), with the settings' fields over it. */
function publicationBody(settings, fields, current) {
    const kept = {};
    for (const key of WRITABLE_FIELDS)
        if (current && current[key] !== undefined && current[key] !== null)
            kept[key] = current[key];
    const application = fields.application ?? (current ? applicationIdOf(current) : undefined);
    const body = {
        ...kept,
        slug: fields.slug,
        security: settings.security,
        visibility: settings.visibility,
        filter: fields.filter
    };
    if (application !== undefined)
        body.application = application;
    if (settings.password !== undefined)
        body.password = settings.password;
    return body;
}
/**
 * Whether `current` already says what `body` would. A password that is not read back cannot be compared: before a
 * write it counts as a change; reading back a write (`password: 'unread'`), what was written is taken as is.
 */
function isUnchanged(current, body, { password = 'compared' } = {}) {
    if (password === 'compared' && body.password !== undefined && current.password !== body.password)
        return false;
    return (current.slug === body.slug &&
        current.security === body.security &&
        current.visibility === body.visibility &&
        canonicalFilter(current.filter) === canonicalFilter(body.filter) &&
        (body.application === undefined || applicationIdOf(current) === undefined || applicationIdOf(current) === body.application));
}
/** The body as a dry run prints it: the password never. */
function shownBody(body) {
    return body.password === undefined ? body : { ...body, password: '***' };
}

;// CONCATENATED MODULE: ./src/install-pages/serving.ts

/** Pages read whole at most, when a list answers too little of them (no filter, or no app). */
const MAX_PAGES_READ_WHOLE = 100;
/** The app's install pages, read once; in the Workspace API, this app's pages of every App Store. */
async function appInstallPages(ctx) {
    const { scope } = ctx;
    const listed = [];
    if (scope.kind === 'integrations') {
        for (const page of await ctx.publications.publicationsAt(undefined).listPublications())
            listed.push({ page });
    }
    else {
        for (const store of await ctx.publications.listStores()) {
            for (const page of await ctx.publications.publicationsAt(store.id).listPublications())
                listed.push({ page, storeId: store.id });
        }
    }
    const appId = scope.kind === 'workspace' ? scope.appId : undefined;
    // Another app's page (its id said) is not this app's; one whose app or filter the list does not say is read whole.
    const mine = listed.filter(({ page }) => appId === undefined || [appId, undefined].includes(applicationIdOf(page)));
    const partial = mine.filter(({ page }) => !page.filter || (appId !== undefined && applicationIdOf(page) === undefined));
    if (partial.length > MAX_PAGES_READ_WHOLE) {
        throw new Error(`The app's install pages: ${partial.length} would have to be read one by one; stopping at ${MAX_PAGES_READ_WHOLE}`);
    }
    const pages = [];
    for (const { page, storeId } of mine) {
        const whole = partial.some((p) => p.page === page)
            ? { ...page, ...(await ctx.publications.publicationsAt(storeId).getPublication(page.id)) }
            : page;
        if (appId === undefined || applicationIdOf(whole) === appId)
            pages.push(whole);
    }
    return pages;
}
/** The pages that pin the build. */
function pagesPinning(pages, buildId) {
    return pages.filter((page) => Object.values(pins(page.filter)).includes(buildId));
}
const SERVABLE = new Set(['processed', 'success']);
function infoOf(build, key) {
    return String(build.deployer?.info?.[key] ?? '').trim();
}
/** The builds a page can serve, newest first, whatever order the list came in. */
function servableNewestFirst(builds) {
    return builds
        .filter((build) => SERVABLE.has(String(build.status)))
        .sort((a, b) => (Date.parse(b.createdAt ?? '') || 0) - (Date.parse(a.createdAt ?? '') || 0));
}
/** The groups of `servable` (newest first) a page's filter chooses its newest from; a pinning filter has none. */
function servedGroups(page, servable) {
    const filter = page.filter;
    const value = String(filter?.value ?? '');
    switch (filter?.type) {
        case 'build':
        case 'builds':
            return [];
        case 'gitBranch':
            return [servable.filter((build) => infoOf(build, 'branch') === value)];
        case 'gitTag':
            return [servable.filter((build) => infoOf(build, 'tag') === value)];
        case 'tag':
        case 'tags': {
            // Any of the tags: which of the two Applivery means is not established, and this keeps more.
            const wanted = value.split(',').map((tag) => tag.trim());
            return [servable.filter((build) => (build.tags ?? []).some((tag) => wanted.includes(tag)))];
        }
        default: {
            // last, or a filter not known here: the newest build of each OS.
            const byOs = new Map();
            for (const build of servable) {
                const os = String(build.os ?? '');
                const group = byOs.get(os);
                if (group)
                    group.push(build);
                else
                    byOs.set(os, [build]);
            }
            return [...byOs.values()];
        }
    }
}
/**
 * Of the builds about to be deleted, those the pages need, with the slugs of the pages that need each: a pinned
 * build, and the newest build of a page's filter when every build it could serve is about to go. `builds` is every
 * build of the app.
 */
function neededByPages(pages, builds, doomed) {
    const going = new Set(doomed.map((build) => build.id));
    const needed = new Map();
    const need = (id, page) => {
        if (going.has(id))
            needed.set(id, [...new Set([...(needed.get(id) ?? []), page.slug])]);
    };
    const servable = servableNewestFirst(builds);
    for (const page of pages) {
        for (const id of Object.values(pins(page.filter)))
            need(id, page);
        for (const group of servedGroups(page, servable)) {
            if (group.length > 0 && group.every((build) => going.has(build.id)))
                need(group[0].id, page);
        }
    }
    return needed;
}
/** Whether a page's filter pins builds, so only the pins need knowing (not every build of the app). */
function pinsOnly(page) {
    return page.filter?.type === 'build' || page.filter?.type === 'builds';
}

;// CONCATENATED MODULE: ./src/operations/delete.ts
// operation: delete — permanently removes a build, waiting first if it is still being processed. A build an install
// page pins is kept (the page could serve nothing), unless force says to delete it anyway.




async function deleteBuild(ctx, buildId, waitTimeoutMs, force = false) {
    await checkNoPagePins(ctx, buildId, force);
    // A build that failed processing can still be deleted: that is often why it is being deleted.
    const deletion = await actWhenProcessed(ctx, buildId, waitTimeoutMs, () => ctx.api.deleteBuild(buildId), {
        evenIfFailed: 'deleting it anyway'
    });
    if (!deletion.sent) {
        // A dry run reads the build, so a wrong build-id or token shows, and reports it as it is.
        ctx.report.build = await ctx.api.getBuild(buildId);
        return;
    }
    ctx.report.buildId = buildId;
    ctx.report.status = 'deleted';
    ctx.report.deleted = true;
    ctx.log.info(`Deleted build ${buildId}${deletion.value.alreadyGone ? ' (an earlier attempt had deleted it)' : ''}`);
}
/** Refuses to delete a build that an install page pins; with force, names each such page in a warning. */
async function checkNoPagePins(ctx, buildId, force) {
    let pages;
    try {
        pages = await appInstallPages(ctx);
    }
    catch (err) {
        if (force)
            return ctx.log.warning(`Could not read the app's install pages (${inline(reason(err), 300)}); deleting build ${buildId} (force)`);
        throw new Error(`Could not read the app's install pages to check that none pins build ${buildId} (${reason(err)}); ` +
            'not deleting it. Set force: true to delete it without this check', { cause: err });
    }
    const pinning = pagesPinning(pages, buildId);
    if (pinning.length === 0)
        return;
    const named = pinning.map((page) => `${inline(page.slug)}${page.distributionUrl ? ` (${inline(page.distributionUrl)})` : ''}`).join(', ');
    if (!force) {
        throw new Error(`Build ${buildId} is pinned by the install page${pinning.length > 1 ? 's' : ''} ${named}: deleting it would leave ` +
            'testers nothing to install there. Pin another build first (publish), or set force: true to delete it anyway');
    }
    for (const page of pinning) {
        ctx.log.warning(`Deleting build ${buildId}, pinned by the install page ${inline(page.slug)} (force): the page can no longer serve it`);
    }
}

;// CONCATENATED MODULE: ./src/applivery/slug.ts
// Install page slugs: Applivery's rule, and a derived slug `<app slug>-<run key>` made to fit it.

/** Applivery's slug rule, as its guide states it (lower case, so a derived slug is lower-cased too). */
const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const SLUG_LENGTH = { min: 3, max: 128 };
const SLUG_RULE = `${SLUG_LENGTH.min} to ${SLUG_LENGTH.max} lower-case letters, digits and '-', starting and ending with a letter or digit`;
/** Lower case, every other run of characters one '-', and a short hash of the whole when too short or too long. */
function normaliseSlug(raw) {
    const slug = raw
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '') // accents go, their letters stay
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
    if (slug.length >= SLUG_LENGTH.min && slug.length <= SLUG_LENGTH.max)
        return slug;
    // The hash keeps two long names that share their start from becoming the same slug.
    const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256').update(raw).digest('hex').slice(0, 8);
    const head = slug.slice(0, SLUG_LENGTH.max - hash.length - 1).replace(/-+$/, '');
    return head ? `${head}-${hash}` : hash;
}
function derivedSlug(appSlug, runKey) {
    return normaliseSlug(`${appSlug}-${runKey}`);
}

;// CONCATENATED MODULE: ./src/install-pages/locate.ts



function appOf(build) {
    const info = (build?.applicationInfo ?? {});
    const application = build?.application;
    const id = info.id ?? (typeof application === 'string' ? application : application?.id);
    return { id, slug: info.slug || undefined, name: info.name || undefined };
}
/** `app` with what `known` says of it on top (its undefined fields left out). */
function withKnown(app, known) {
    return { ...app, ...Object.fromEntries(Object.entries(known).filter(([, value]) => value !== undefined)) };
}
/** The store's id: the input, or the organization's only App Store. */
async function storeIdFor(ctx, target) {
    if (ctx.scope.kind !== 'workspace' || target.storeId !== undefined)
        return target.storeId;
    const stores = await ctx.publications.listStores();
    if (stores.length === 1)
        return stores[0].id;
    if (stores.length === 0) {
        throw new Error(`Organization ${ctx.scope.organizationId} has no App Store, where the Workspace API keeps install pages; create one in Applivery`);
    }
    const ids = stores.map((store) => store.id).join(', ');
    throw new InputError('store-id', `is required: organization ${ctx.scope.organizationId} has ${stores.length} App Stores (${ids}); set it to one of them`);
}
/** The app, from the build acted on, or else the newest build: Applivery's builds carry their app's slug. */
async function appFor(ctx, build) {
    const known = appOf(build);
    if (known.slug)
        return known;
    const newest = (await ctx.api.listPage({ page: 1, limit: 1 })).items[0];
    const app = withKnown(appOf(newest), known);
    if (ctx.scope.kind === 'workspace')
        app.id = ctx.scope.appId;
    return app;
}
/**
 * The page with the slug, read whole (a list may answer less of each page, and a PUT replaces all of it), if it
 * is this app's. A slug is unique across the workspace, whose App Store holds every app's pages: a page of
 * another app, or one whose app the Workspace API does not say, is not this step's to change.
 */
async function readOwnInstallPage(ctx, page) {
    const listed = await page.api.findPublication(page.slug);
    if (!listed)
        return undefined;
    const whole = { ...listed, ...(await page.api.getPublication(listed.id)) };
    const owner = applicationIdOf(whole);
    const app = ctx.scope.kind === 'workspace' ? ctx.scope.appId : page.app.id;
    const unknownInWorkspace = ctx.scope.kind === 'workspace' && owner === undefined;
    if (unknownInWorkspace || (owner !== undefined && app !== undefined && owner !== app))
        throw new InstallPageOfAnotherApp(page.slug, owner ?? 'unknown');
    return whole;
}
/** A slug held by a page this step must not change: another app's (`owner` its id, or hidden from this app's list), or one whose app is not said. */
class InstallPageOfAnotherApp extends Error {
    name = 'InstallPageOfAnotherApp';
    constructor(slug, owner) {
        const taken = `Publication slug '${slug}' is used by`;
        const fix = 'Slugs are unique across the workspace: set slug to another one.';
        super(owner === 'unknown'
            ? `${taken} an install page that Applivery does not say belongs to this app; not changing it. ${fix}`
            : `${taken} the install page of another app${owner === 'hidden' ? '' : ` (${owner})`} in this Applivery workspace. ${fix}`);
    }
}
async function locateInstallPage(ctx, target, build) {
    const app = await appFor(ctx, build);
    let slug = target.slug;
    if (slug === undefined) {
        // Slugs are unique across the workspace: the app's own slug keeps two apps' pages for one branch apart.
        const appKey = app.slug ?? (app.name ? normaliseSlug(app.name) : app.id);
        if (!appKey) {
            throw new InputError('slug', 'is needed: the app has no build yet to read its slug from, so none can be derived; set slug');
        }
        slug = derivedSlug(appKey, target.runKey);
    }
    const api = ctx.publications.publicationsAt(await storeIdFor(ctx, target));
    ctx.report.app = app;
    return { api, slug, app };
}

;// CONCATENATED MODULE: ./src/report/qr.ts
/** Longer text makes a code too dense to scan off a screen (and past 2,331 bytes, none at this error correction). */
const MAX_QR_TEXT = 1024;
/** The QR code of `text`, or undefined when it is too long for one. */
async function qrText(text, background = 'light') {
    if (Buffer.byteLength(text) > MAX_QR_TEXT)
        return undefined;
    // Evaluated only when a link is shown, so other steps do not pay for it at start-up.
    const { renderUnicodeCompact } = await __nccwpck_require__.e(/* import() */ 905).then(__nccwpck_require__.bind(__nccwpck_require__, 905));
    // A quiet zone of two modules, and medium error correction, for scanning off a screen.
    return renderUnicodeCompact(text, { border: 2, ecc: 'M', invert: background === 'light' });
}

;// CONCATENATED MODULE: ./src/report/report.ts
/** GitHub refuses a step output over 1 MB; stay clear of it. */
const MAX_OUTPUT_CHARS = 900_000;
/** The fields a later step usually needs, for lists too large to output whole. */
function mainFields(build) {
    const { id, status, versionName, tags, os, size, createdAt } = build;
    return { id, status, versionName, tags, os, size, createdAt, deployer: build.deployer };
}
class Report {
    /** The build acted on, as last seen. */
    build;
    /** Overrides build-id and status when no build object is known (or it no longer exists). */
    buildId;
    status;
    builds;
    deleted;
    files;
    /** Writes a dry run would have made. */
    planned = [];
    installPage;
    /** prune: builds the rules would delete, kept because install pages (their slugs) pin or serve them. */
    keptForPages;
    /** upload: whether the build an earlier attempt of this run uploaded was reused. */
    reused;
    /** The release notes sent (changelog), for the summary. */
    releaseNotes;
    /** The app, as its builds name it, once an install page was looked for. */
    app;
    outputs() {
        const out = {};
        const buildId = this.buildId ?? this.build?.id;
        const status = this.status ?? this.build?.status;
        if (buildId !== undefined)
            out['build-id'] = buildId;
        // Some of Applivery's answers say 'success' for a processed build: one word for it, for the steps that follow.
        if (status !== undefined)
            out.status = status === 'success' ? 'processed' : String(status);
        if (this.build) {
            out.build = JSON.stringify(this.build);
            if (out.build.length > MAX_OUTPUT_CHARS)
                out.build = JSON.stringify(mainFields(this.build));
        }
        if (this.builds) {
            out.builds = JSON.stringify(this.builds);
            if (out.builds.length > MAX_OUTPUT_CHARS)
                out.builds = JSON.stringify(this.builds.map(mainFields));
            out['build-ids'] = JSON.stringify(this.builds.map((build) => build.id));
            out.count = String(this.builds.length);
        }
        if (this.deleted !== undefined)
            out.deleted = String(this.deleted);
        if (this.reused !== undefined)
            out.reused = String(this.reused);
        if (this.keptForPages !== undefined)
            out['kept-for-pages'] = String(this.keptForPages.length);
        if (this.files)
            out.files = JSON.stringify(this.files);
        if (this.installPage) {
            out['publication-id'] = this.installPage.id;
            if (this.installPage.url)
                out['publication-url'] = this.installPage.url;
            if (this.installPage.qr)
                out['qr-code'] = this.installPage.qr;
        }
        return out;
    }
}
const SECURITY_TEXT = {
    logged: 'testers sign in to Applivery to install',
    public: 'anyone with the link can install',
    password: 'testers need the password to install'
};
/** What a publication-security means for testers. */
function securityText(security) {
    return security === undefined ? undefined : SECURITY_TEXT[security];
}

;// CONCATENATED MODULE: ./src/install-pages/report.ts



/** A longer distributionUrl is not a link anyone can use: it is reported, not used. */
const MAX_URL = 8192;
async function reportInstallPage(ctx, publication, change, security) {
    const given = publication.distributionUrl;
    const url = given !== undefined && given.length <= MAX_URL ? given : undefined;
    ctx.report.installPage = {
        id: publication.id,
        slug: publication.slug,
        url,
        qr: url ? await qrText(url, 'light') : undefined,
        security: security ?? publication.security,
        change
    };
    if (!url) {
        const what = given ? `with a distributionUrl of ${given.length} characters, not used` : 'without its distributionUrl';
        ctx.log.warning(`Publication ${inline(publication.slug)} (${publication.id}): Applivery answered ${what}`);
        return;
    }
    const how = securityText(security ?? publication.security);
    if (change !== 'found')
        ctx.log.notice(`Install page ${change}: ${inline(url, MAX_URL)}${how ? ` (${how})` : ''}`);
    ctx.log.info(`Install page ${inline(publication.slug)} (${publication.id}): ${inline(url, MAX_URL)}`);
    // The log is shown on a dark background.
    const qr = await qrText(url, 'dark');
    ctx.log.info(qr ?? `The link is longer than ${MAX_QR_TEXT} bytes: no QR code`);
}

;// CONCATENATED MODULE: ./src/operations/get.ts
// operation: get — reports a build as it is, or waits until it is processed; with pr-comment, finds its page too.





async function get(ctx, buildId, wait, installPage) {
    if (wait.enabled) {
        await waitForProcessing(ctx, buildId, wait.timeoutMs);
    }
    else {
        const build = await ctx.api.getBuild(buildId);
        ctx.report.build = build;
        ctx.log.info(`Build ${build.id} is '${inline(build.status, 40)}'`);
    }
    if (installPage)
        await findInstallPage(ctx, installPage);
}
/** For the comment: the page's link when the run has one. Best effort: without it, the comment shows the build. */
async function findInstallPage(ctx, target) {
    try {
        const located = await locateInstallPage(ctx, target, ctx.report.build);
        const found = await located.api.findPublication(located.slug);
        if (found)
            await reportInstallPage(ctx, found, 'found');
        else
            ctx.log.info(`No install page ${located.slug} yet; the comment shows the build only`);
    }
    catch (err) {
        ctx.log.warning(`Could not look for the run's install page (${inline(reason(err), 300)}); the comment shows the build only`);
    }
}

;// CONCATENATED MODULE: ./src/operations/list.ts
// operation: list — walks pages (newest first) until `limit` builds, an empty page, or the API says it is the last.



/** Asked for on every page; an API that takes less clamps it, or refuses it and is asked again smaller (applivery/client.ts). */
const MAX_PAGE_SIZE = 1000;
class RepeatedPageError extends Error {
    name = 'RepeatedPageError';
}
function matchesLocally(build, { tags, branch }) {
    if (tags && !tags.every((tag) => build.tags?.includes(tag)))
        return false;
    return branch === undefined || String(build.deployer?.info?.branch ?? '').trim() === branch;
}
/** Every filter, matched here: for builds walked without them (all of the app's, read once for its pages). */
function matchesFilters(build, { status, os, versionName, ...local }) {
    // Some of Applivery's answers call a processed build 'success'.
    const said = build.status === 'success' ? 'processed' : build.status;
    if (status !== undefined && said !== status)
        return false;
    if (os !== undefined && build.os !== os)
        return false;
    if (versionName !== undefined && build.versionName !== versionName)
        return false;
    return matchesLocally(build, local);
}
/**
 * Every build matching `filters`, newest first, at most `max`. Each page asks for the same size so pages
 * do not shift; a page that repeats the one before stops the walk.
 */
async function collectBuilds(ctx, filters, max = Infinity) {
    const { tags, branch, ...query } = filters;
    // Tags and branch are matched here, so a page of the requested size may hold fewer matches: ask for full pages then.
    const pageSize = tags || branch !== undefined || !Number.isFinite(max) ? MAX_PAGE_SIZE : Math.min(max, MAX_PAGE_SIZE);
    const found = new Map();
    const budget = new WalkBudget('List builds');
    let previousIds = '';
    let walked = 0;
    for (let page = 1; found.size < max;) {
        budget.page();
        const result = await ctx.api.listPage({ ...query, page, limit: pageSize }, { fallback: true });
        budget.read(result.bytes ?? 0);
        if (result.items.length === 0)
            break;
        const ids = result.items.map((build) => build.id).join(',');
        if (ids === previousIds) {
            throw new RepeatedPageError(`List builds: page ${page} repeated the page before; the API is not paginating, stopping to avoid an endless walk`);
        }
        previousIds = ids;
        walked += result.items.length;
        // A build created during the walk shifts later pages by one: keep the first copy of each id.
        for (const build of result.items) {
            if (found.has(build.id) || !matchesLocally(build, { tags, branch }))
                continue;
            budget.keep(build);
            found.set(build.id, build);
        }
        if (isLastPage(result, page, walked))
            break;
        page = result.nextPage !== undefined && result.nextPage > page ? result.nextPage : page + 1;
    }
    return [...found.values()].slice(0, max);
}
async function list(ctx, settings) {
    const { limit, page, ...filters } = settings;
    let builds;
    if (page !== undefined) {
        const { tags, branch, ...query } = filters;
        const result = await ctx.api.listPage({ ...query, page, limit });
        builds = result.items.filter((build) => matchesLocally(build, { tags, branch })).slice(0, limit);
    }
    else {
        builds = await collectBuilds(ctx, filters, limit);
    }
    ctx.report.builds = builds;
    if (builds.length > 0)
        ctx.report.build = builds[0];
    ctx.log.info(`Found ${builds.length} build${builds.length === 1 ? '' : 's'}`);
    for (const build of builds) {
        ctx.log.info(`  ${build.id}  ${inline(build.status, 40)}  ${inline(build.versionName, 80)}  ${inline(build.createdAt, 40)}`.trimEnd());
    }
}

;// CONCATENATED MODULE: ./src/report/comment-body.ts



/** Invisible in the rendered comment; names the app, so two apps on one pull request keep a comment each. */
function commentMarker(appKey) {
    return `<!-- applivery-builds-action:app=${appKey.slice(0, MAX_FIELD).replace(/[^\w.-]/g, '_')} -->`;
}
/** The longest a field is shown; an install link longer than MAX_LINK is shown, not linked. */
const MAX_FIELD = 100;
const MAX_LINK = 2048;
/** One line of outside text, at most `max` characters: line breaks and other control characters become spaces. */
function oneLine(value, max = MAX_FIELD) {
    const text = String(value ?? '')
        .replace(CONTROL_CHARACTERS, ' ')
        .replace(/\t/g, ' ')
        .trim();
    return text.length > max ? `${text.slice(0, max)}…` : text;
}
function code(value) {
    const text = oneLine(value).replace(/[`|]/g, ' ').trim();
    return text === '' ? '-' : `\`${text}\``;
}
/** Plain text for a heading: one line, no markup, and no @mention (a zero-width space after the @). */
function plain(value) {
    return oneLine(value)
        .replace(/[\\`*_[\]<>|#=~-]/g, (c) => `\\${c}`)
        .replace(/@/g, '@\u200b');
}
/** A link target only when it is an http(s) URL, with the characters that would end a Markdown link encoded. */
function linkTarget(url) {
    if (url.length > MAX_LINK || !/^https?:\/\/[^\s]+$/i.test(url))
        return undefined;
    return encodeURI(url).replace(/\(/g, '%28').replace(/\)/g, '%29');
}
function buildTable(build) {
    const status = build.status === 'success' ? 'processed' : build.status;
    const commit = build.deployer?.info?.commit;
    const row = [code(build.id), code(build.versionName), code(status), code(commit ? String(commit).slice(0, 7) : '')];
    return ['| Build | Version | Status | Commit |', '| --- | --- | --- | --- |', `| ${row.join(' | ')} |`, ''];
}
function installPageLines(page) {
    const how = securityText(page.security);
    const target = linkTarget(page.url);
    const link = target ? `**[Install](${target})**` : `Install: ${code(page.url)}`;
    const lines = [`${link} from the page ${code(page.slug)}${how ? ` (${how})` : ''}`, ''];
    if (page.qr)
        lines.push('<details open><summary>QR code</summary>', '', '```text', page.qr, '```', '', '</details>', '');
    return lines;
}
/** What a section of the comment is for: a platform's build and page ('page' when no build is known). */
function sectionKey(build) {
    if (!build)
        return 'page';
    const platforms = [build.os, build.buildPlatform].map((value) => String(value ?? '').toLowerCase());
    return platforms.find((value) => SECTION_KEY.test(value)) ?? 'build';
}
const PLATFORM_NAMES = {
    ios: 'iOS',
    android: 'Android',
    macos: 'macOS',
    windows: 'Windows',
    page: 'Install page'
};
/** One job's part of the comment: its platform's build and install page. */
function sectionContent(key, build, installPage) {
    const title = PLATFORM_NAMES[key] ?? code(key);
    const lines = [`#### ${title}: ${installPage?.url ? 'ready to install' : 'build'}`, ''];
    if (build)
        lines.push(...buildTable(build));
    if (installPage?.url)
        lines.push(...installPageLines({ ...installPage, url: installPage.url }));
    return lines.join('\n').trimEnd();
}
/** The whole comment: the marker, the app, the sections (sorted, so every job writes them alike), the footer. */
function commentBody(marker, appName, sections, footer) {
    const lines = [marker, `### ${plain(appName ?? 'Applivery')}`, ''];
    for (const key of [...sections.keys()].sort())
        lines.push(sections.get(key), '');
    lines.push(`<sub>${footer}</sub>`);
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/operations/pr-comment.ts
// pr-comment: the build and its install page on the pull request, one comment per app, kept up to date.
// A comment that cannot be posted is a warning: the build is in Applivery either way.





/** How much of GitHub's message a warning quotes. */
const pr_comment_MAX_QUOTED = 300;
async function commentOnPullRequest(ctx, settings, dryRun) {
    const pullRequest = settings.pullRequest;
    if (!pullRequest) {
        ctx.log.info('pr-comment: this run is not for a pull request, so there is nothing to comment on');
        return;
    }
    const { build, installPage } = ctx.report;
    const app = withKnown(ctx.report.app ?? {}, appOf(build));
    const appKey = app.slug ?? app.id ?? (ctx.scope.kind === 'workspace' ? ctx.scope.appId : 'app');
    const runUrl = ctx.run.repository ? `${ctx.run.serverUrl}/${ctx.run.repository}/actions/runs/${ctx.run.runId}` : undefined;
    const when = new Date().toISOString().replace('T', ' ').slice(0, 16);
    const footer = `Updated ${when} UTC${runUrl ? ` by <a href="${runUrl}">run ${ctx.run.runNumber}</a>` : ''}`;
    // One section per platform: an iOS and an Android job of one matrix each keep their own.
    const key = sectionKey(build);
    const content = sectionContent(key, build, installPage);
    const stamp = build?.createdAt ?? new Date().toISOString();
    const render = (sections) => commentBody(commentMarker(appKey), app.name, sections, footer);
    if (dryRun) {
        ctx.log.info(`Dry run: would write the section ${key} of the comment on pull request #${pullRequest.number}:`);
        for (const line of render(new Map([[key, wrapSection(key, content, stamp)]])).split('\n'))
            ctx.log.info(`  ${line}`);
        return;
    }
    if (!ctx.comments)
        throw new Error('pr-comment: no GitHub client');
    try {
        const result = await ctx.comments.upsert(pullRequest, commentMarker(appKey), { key, content, stamp, render });
        ctx.log.info(`Pull request #${pullRequest.number}: comment ${result.action}${result.url ? ` (${inline(result.url)})` : ''}`);
    }
    catch (err) {
        ctx.log.warning(`Could not comment on pull request #${pullRequest.number}: ${reasonOf(err)}. The build and its page are in Applivery.`);
    }
}
/** Octokit's errors carry GitHub's answer when there was one (with a hint for the usual ones); otherwise their cause. */
function reasonOf(err) {
    const { status, response, cause } = err;
    if (response === undefined || typeof status !== 'number')
        return inline(reason(cause ?? err), pr_comment_MAX_QUOTED);
    const hint = GITHUB_HINTS[status];
    return `GitHub answered ${status} (${inline(err.message, pr_comment_MAX_QUOTED)})${hint ? `. ${hint}` : ''}`;
}
const GITHUB_HINTS = {
    401: 'github-token was not accepted',
    403: 'The job needs permissions: pull-requests: write; pull requests from forks get a read-only token, ' +
        "and a burst of requests can meet GitHub's secondary rate limit",
    404: "The pull request was not found with github-token's access to the repository"
};

;// CONCATENATED MODULE: ./src/operations/prune.ts
// operation: prune — deletes finished builds beyond the newest `keep`, or older than `older-than`, or both.






/** Reasons quoted when deletes fail: the rest are counted. */
const MAX_FAILURES_SHOWN = 20;
/** Deletes in flight at once: fast for hundreds of builds, gentle on the API. */
const DELETE_CONCURRENCY = 6;
/** The builds to delete, newest first. Builds still being processed are neither counted nor deleted. */
function pruneCandidates(builds, settings, now) {
    const finished = builds
        .filter((build) => isFinished(build.status))
        .sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''));
    return finished.filter((build, index) => {
        if (settings.keep !== undefined && index < settings.keep)
            return false;
        if (settings.olderThanMs !== undefined && !(Date.parse(build.createdAt ?? '') < now - settings.olderThanMs))
            return false;
        return true;
    });
}
/** Runs `task` over `items`, at most `limit` at a time; collects failures instead of stopping. */
async function eachLimited(items, limit, task) {
    const failures = [];
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const item = items[next++];
            await task(item).catch((error) => failures.push({ item, error }));
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return failures;
}
async function prune(ctx, settings) {
    // The pages first: what a page's filter serves is judged among all of the app's builds, read in the same walk.
    const pages = await appInstallPages(ctx);
    const all = pages.every(pinsOnly) ? undefined : await collectBuilds(ctx, {});
    const builds = all ? all.filter((build) => matchesFilters(build, settings.filters)) : await collectBuilds(ctx, settings.filters);
    const candidates = pruneCandidates(builds, settings, Date.now());
    const needed = neededByPages(pages, all ?? builds, candidates);
    const doomed = candidates.filter((build) => !needed.has(build.id));
    const rules = [
        settings.keep !== undefined ? `keeping the newest ${settings.keep}` : '',
        settings.olderThanMs !== undefined ? `created more than ${formatDuration(settings.olderThanMs)} ago` : ''
    ].filter(Boolean);
    ctx.log.info(`${builds.length} matching builds; ${doomed.length} to delete (${rules.join(', ')})`);
    ctx.report.keptForPages = candidates.filter((build) => needed.has(build.id)).map((build) => ({ build, pages: needed.get(build.id) }));
    for (const { build, pages: slugs } of ctx.report.keptForPages) {
        ctx.log.info(`Kept build ${build.id} (${inline(build.versionName, 80)}): the install page ${slugs.map((slug) => inline(slug)).join(', ')} serves it`);
    }
    const deleted = new Set();
    const failures = await eachLimited(doomed, DELETE_CONCURRENCY, async (build) => {
        let sent = true;
        try {
            sent = (await ctx.api.deleteBuild(build.id)).sent;
        }
        catch (err) {
            // Gone already (another job pruned it): that is what was wanted.
            if (!isGone(err))
                throw err;
        }
        deleted.add(build.id);
        if (sent)
            ctx.log.info(`Deleted build ${build.id} (${build.versionName === undefined ? 'no version' : inline(build.versionName, 80)}, ${inline(build.createdAt, 40)})`);
    });
    // In a dry run these are the builds it would delete.
    ctx.report.builds = doomed.filter((build) => deleted.has(build.id));
    if (failures.length > 0) {
        // A few reasons say why; a list of thousands would bury the failure.
        const lines = failures
            .slice(0, MAX_FAILURES_SHOWN)
            .map(({ item, error }) => `  ${item.id}: ${error instanceof Error ? error.message : String(error)}`);
        if (failures.length > MAX_FAILURES_SHOWN)
            lines.push(`  (and ${failures.length - MAX_FAILURES_SHOWN} more)`);
        throw new Error(`Prune deleted ${deleted.size} of ${doomed.length} builds; ${failures.length} could not be deleted:\n${lines.join('\n')}`);
    }
}

;// CONCATENATED MODULE: ./src/operations/publish.ts








async function publish(ctx, settings, uploaded) {
    // The pinned build (publication-filter: build): the one just uploaded, or build-id's.
    const buildId = settings.filter.kind === 'build' ? settings.filter.buildId : undefined;
    const build = uploaded ?? (buildId !== undefined ? await ctx.api.getBuild(buildId) : undefined);
    // The build the page pins is the step's build: its outputs and its section of the comment.
    if (build)
        ctx.report.build = build;
    const page = await locateInstallPage(ctx, settings, build);
    const application = ctx.scope.kind === 'workspace' ? ctx.scope.appId : undefined;
    const compose = (current) => publicationBody(settings, { slug: page.slug, filter: publicationFilter(settings.filter, build, current?.filter), application }, current);
    const found = await readOwnInstallPage(ctx, page);
    if (found !== undefined && isUnchanged(found, compose(found)))
        return reportInstallPage(ctx, found, 'unchanged', settings.security);
    // Other jobs of the run may write the page at the same moment (a matrix pinning its builds): each write is
    // read back, and made again on top of theirs when it was written over.
    let change = 'updated';
    const result = await writeShared({
        what: `Install page ${page.slug}`,
        read: () => readOwnInstallPage(ctx, page),
        holds: (current) => isUnchanged(current, compose(current), { password: 'unread' }),
        write: async (current) => {
            if (current === undefined) {
                const created = await create(ctx, page, compose());
                if (created === 'planned')
                    return 'planned';
                if ('publication' in created)
                    change = 'created';
                return 'publication' in created ? created.publication : created.raced;
            }
            const body = compose(current);
            const written = await page.api.replacePublication(current.id, body, shownBody(body));
            return written.sent ? { ...current, ...written.value } : 'planned';
        },
        rereadMs: ctx.timings.rereadMs,
        maxWrites: publish_MAX_WRITES,
        transient: (err) => verdict(err, true) === 'retry',
        conflict: (current) => pinConflict(current, build, found),
        log: (line) => ctx.log.info(line),
        signal: ctx.signal
    }, found);
    if (result.value)
        await reportInstallPage(ctx, result.value, change, settings.security);
}
/** Writes of one page at most, when other jobs keep writing over this one's change. */
const publish_MAX_WRITES = 5;
/**
 * A page holds one pinned build per platform. When the page now pins another build of this build's platform, one
 * that it did not pin before this job wrote, another job pinned it meanwhile: the two cannot both hold.
 */
function pinConflict(current, build, before) {
    if (!build || !['build', 'builds'].includes(String(current.filter?.type)))
        return undefined;
    const platform = platformOf(build);
    const pinned = pins(current.filter)[platform];
    if (pinned === undefined || pinned === build.id || pinned === pins(before?.filter)[platform])
        return undefined;
    return (`another job pinned another ${platform} build (${pinned}) meanwhile, and a page holds one build per platform: ` +
        'give each of them its own page (slug), or run them one after the other');
}
/** After an upload: its page. A dry-run upload has no build; its page is planned all the same, unless it would pin it. */
async function publishUploaded(ctx, settings, build) {
    if (build)
        return publish(ctx, settings, build);
    if (settings.filter.kind === 'build')
        ctx.log.info('Dry run: would publish the page, pinning the uploaded build');
    else
        await publish(ctx, settings);
}
async function create(ctx, page, body) {
    try {
        const written = await page.api.createPublication(body, shownBody(body)).catch((err) => {
            // The Integrations API takes the app from the token, but has been seen to ask for it as well.
            if (!needsApplication(err, body) || page.app.id === undefined)
                throw err;
            const withApp = { ...body, application: page.app.id };
            return page.api.createPublication(withApp, shownBody(withApp));
        });
        return written.sent ? { publication: written.value } : 'planned';
    }
    catch (err) {
        if (!(err instanceof ApiError) || err.httpStatus === 401 || err.httpStatus === 403)
            throw err;
        // Another job may have created it since the look (a matrix racing for one slug), or Applivery may refuse
        // the slug as taken in another way than documented: either way, the page with the slug tells.
        const raced = await readOwnInstallPage(ctx, page);
        if (raced) {
            ctx.log.info(`Publication ${page.slug} appeared meanwhile (${inline(reason(err), 300)}); bringing it up to date`);
            return { raced };
        }
        // Not this app's, and not visible to it: the Integrations API lists only the token's app's pages.
        if (Number(err.code) === 5024 || err.httpStatus === 409)
            throw new InstallPageOfAnotherApp(page.slug, 'hidden');
        throw err;
    }
}
function needsApplication(err, body) {
    return err instanceof ApiError && Number(err.code) === 6002 && body.application === undefined && /\bapplication\b/i.test(err.apiMessage);
}

;// CONCATENATED MODULE: ./src/operations/unpublish.ts
// operation: unpublish — deletes the run's install page; its builds stay. A page already gone is success.



async function unpublish(ctx, target) {
    const page = await locateInstallPage(ctx, target);
    const found = await readOwnInstallPage(ctx, page);
    if (!found) {
        ctx.log.info(`Publication ${page.slug} does not exist (already deleted, or never published); nothing to do`);
        return;
    }
    const written = await page.api.deletePublication(found.id).catch((err) => {
        // Deleted by someone else since the look: what was asked for holds.
        if (isGone(err))
            return { sent: true, value: { alreadyGone: true } };
        throw withHint(err, found);
    });
    if (!written.sent)
        return;
    ctx.report.installPage = { id: found.id, slug: found.slug, change: 'deleted' };
    ctx.log.notice(`Install page ${inline(found.slug)} deleted${written.value.alreadyGone ? ' (it was already gone)' : ''}; its builds stay`);
}
/** The Workspace API keeps an app's last page that serves its newest build: say so when that is what was refused. */
function withHint(err, page) {
    if (!(err instanceof ApiError) || err.httpStatus !== 400 || page.filter?.type !== 'last')
        return err;
    return new Error(`${err.message}\nHint: Applivery keeps an app's last install page that serves its newest build (filter last); ` +
        'to close it without deleting it, publish it with publication-visibility: inactive.', { cause: err });
}

;// CONCATENATED MODULE: ./src/release-notes/cut.ts
// Release notes cut to what Applivery takes, at whole lines, with a last line that says what was left out.
// Markdown stays as written; a code block left open by the cut is closed.
/** Applivery's limit is not documented: this is well within what its double takes (see docs/operations.md). */
const MAX_RELEASE_NOTES_CHARS = 4000;
const FENCE = /^ {0,3}(```|~~~)/;
/** The first `length` characters, without splitting a character outside the Basic Multilingual Plane. */
function head(text, length) {
    const code = text.charCodeAt(length - 1);
    return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}
function moreCommits(count) {
    return count === 0 ? '' : `… and ${count} more commit${count === 1 ? '' : 's'}`;
}
/**
 * Commit subjects as a Markdown list in the order given (newest first), as many whole lines as fit in `max`
 * with, when some are left out, a last line counting them (`total` counts those never read too).
 */
function commitList(subjects, total, max = MAX_RELEASE_NOTES_CHARS) {
    const lines = subjects.map((subject) => `- ${subject.trim() || '(no message)'}`);
    const withTrailer = (kept, length) => {
        const more = moreCommits(total - kept);
        return more === '' ? length : length + (kept > 0 ? 1 : 0) + more.length;
    };
    let best = 0;
    let length = 0;
    for (let kept = 1; kept <= lines.length; kept++) {
        length += (kept > 1 ? 1 : 0) + lines[kept - 1].length;
        if (length > max)
            break;
        if (withTrailer(kept, length) <= max)
            best = kept;
    }
    if (best === 0 && lines.length > 0) {
        // A first subject longer than the notes themselves: the only line that is ever cut.
        const rest = moreCommits(total - 1);
        const room = max - (rest === '' ? 0 : rest.length + 1) - 1;
        return [`${head(lines[0], room)}…`, rest].filter((line) => line !== '').join('\n');
    }
    return [...lines.slice(0, best), moreCommits(total - best)].filter((line) => line !== '').join('\n');
}
/**
 * Text (a pull request's title and body, a commit message) within `max`: cut after the last whole line that
 * fits, with a last line that says so. A paragraph longer than half the notes is cut between words instead,
 * so that most of it is kept.
 */
function cutText(text, why, max = MAX_RELEASE_NOTES_CHARS) {
    const normal = text.replace(/\r\n?/g, '\n');
    if (normal.length <= max)
        return normal;
    const trailer = `\n\n… (${why})`;
    // Room for the trailer and a fence that closes a code block the cut left open.
    const room = max - trailer.length - 4;
    const atLine = normal.lastIndexOf('\n', room);
    const atWord = normal.slice(0, room + 1).search(/\s\S*$/);
    const end = atLine > room / 2 ? atLine : atWord > room / 2 ? atWord : room;
    const kept = head(normal, end).trimEnd();
    const fences = kept.split('\n').flatMap((line) => FENCE.exec(line)?.[1] ?? []);
    const close = fences.length % 2 === 1 ? `\n${fences[fences.length - 1]}` : '';
    return `${kept}${close}${trailer}`;
}

;// CONCATENATED MODULE: ./src/github/run.ts
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);
/** The pull request the run is for, if any. */
function pullRequestOf(run) {
    return PULL_REQUEST_EVENTS.has(run.eventName) ? run.payload.pull_request : undefined;
}
/** The branch that was built: the head branch on pull requests, else the pushed branch. */
function branchOf(run) {
    // Outside a runner (a local test) GITHUB_REF may be missing.
    const ref = run.ref ?? '';
    const head = pullRequestOf(run)?.head?.ref;
    if (head)
        return head;
    return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}
/** The git tag of a tag push or a release. */
function tagOf(run) {
    if (run.eventName === 'release' && run.payload.release?.tag_name)
        return run.payload.release.tag_name;
    const ref = run.ref ?? '';
    return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}
/** The run's page; an attempt's is under it (`/attempts/<n>`). */
function runUrl(repositoryUrl, runId) {
    return `${repositoryUrl}/actions/runs/${runId}`;
}
function deployerInfo(run, startedAtMs) {
    const info = {};
    // On pull requests GITHUB_SHA is the merge commit; the head commit is what was built from the branch.
    info.commit = pullRequestOf(run)?.head?.sha || run.sha || undefined;
    info.branch = branchOf(run);
    info.tag = tagOf(run);
    if (run.eventName === 'push' && run.payload.head_commit?.message)
        info.commitMessage = run.payload.head_commit.message;
    info.triggerTimestamp = String(startedAtMs);
    const repository = run.repository || run.payload.repository?.full_name;
    if (repository) {
        const repositoryUrl = `${run.serverUrl}/${repository}`;
        info.repositoryUrl = repositoryUrl;
        info.ciUrl = `${repositoryUrl}/actions`;
        // The attempt's own page: a re-run keeps the run's URL, and finds its earlier attempts' builds by it.
        if (run.runId)
            info.buildUrl = `${runUrl(repositoryUrl, run.runId)}${run.runAttempt ? `/attempts/${run.runAttempt}` : ''}`;
    }
    if (run.runNumber)
        info.buildNumber = String(run.runNumber);
    for (const key of Object.keys(info)) {
        if (info[key] === undefined)
            delete info[key];
    }
    return info;
}

;// CONCATENATED MODULE: ./src/release-notes/clone.ts

/** A local clone answers in milliseconds; a stuck one (a lock, a network file system) is given up on. */
const GIT_TIMEOUT_MS = 10_000;
/** Far more than the most subjects that fit in the notes: a commit's subject is one line. */
const GIT_MAX_BYTES = 1024 * 1024;
/** More than fit in the notes (each takes at least four characters of them): the rest are only counted. */
const MAX_SUBJECTS = 1000;
/** A full or abbreviated commit id; anything else (an option, a range) never reaches git. */
const COMMIT_ID = /^[0-9a-f]{7,64}$/i;
const runGit = async (dir, args) => {
    // Loaded only when notes are made from the history: most steps never run git.
    const { execFile } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 421, 23));
    return new Promise((resolve, reject) => {
        const options = {
            cwd: dir,
            timeout: GIT_TIMEOUT_MS,
            maxBuffer: GIT_MAX_BYTES,
            encoding: 'utf8',
            windowsHide: true,
            // No prompt for credentials, no lock taken, English messages.
            env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' }
        };
        execFile('git', ['-c', 'core.fsmonitor=false', '-c', 'log.showSignature=false', ...args], options, (err, stdout, stderr) => {
            if (!err)
                return resolve({ code: 0, stdout, stderr });
            const { code, killed } = err;
            if (code === 'ENOENT')
                return reject(new Error('git is not installed on the runner'));
            // Past the size bound git is stopped: what it printed until then is whole lines but the last.
            if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
                return resolve({ code: 0, stdout: stdout.replace(/[^\n]*$/, ''), stderr });
            if (killed)
                return reject(new Error(`git ${args[0]} did not finish within ${GIT_TIMEOUT_MS / 1000} s`));
            resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
        });
    });
};
class Clone {
    dir;
    git;
    constructor(dir, git = runGit) {
        this.dir = dir;
        this.git = git;
    }
    /** The commits after `base` up to `head`, when the checkout has both and what joins them. */
    async commitsBetween(base, head) {
        if (!COMMIT_ID.test(base) || !COMMIT_ID.test(head))
            return { why: 'the commits are not named by their ids' };
        return this.listed(base, head).catch((err) => ({ why: err instanceof Error ? err.message : String(err) }));
    }
    async listed(base, head) {
        const answer = await this.git(this.dir, ['rev-parse', '--is-shallow-repository']);
        if (answer.code !== 0)
            return { why: `the workspace is not a git checkout (${firstLine(answer.stderr)})` };
        const shallow = answer.stdout.trim() === 'true';
        const hint = shallow ? ' (a shallow clone: actions/checkout with fetch-depth: 0 fetches the history)' : '';
        for (const commit of [base, head]) {
            const known = await this.git(this.dir, ['cat-file', '-e', `${commit}^{commit}`]);
            if (known.code !== 0)
                return { why: `the checkout does not have commit ${commit.slice(0, 12)}${hint}` };
        }
        // A shallow history may stop between the two: it would list commits down to where it was cut.
        if (shallow && (await this.git(this.dir, ['merge-base', '--is-ancestor', base, head])).code !== 0) {
            return { why: `the checkout's history does not join ${base.slice(0, 12)} to ${head.slice(0, 12)}${hint}` };
        }
        const count = await this.git(this.dir, ['rev-list', '--count', `${base}..${head}`]);
        const total = Number(count.stdout.trim());
        if (count.code !== 0 || !Number.isSafeInteger(total))
            return { why: `git rev-list failed (${firstLine(count.stderr)})` };
        const log = await this.git(this.dir, ['log', '--no-color', '--format=%s', `--max-count=${MAX_SUBJECTS}`, `${base}..${head}`]);
        if (log.code !== 0)
            return { why: `git log failed (${firstLine(log.stderr)})` };
        const subjects = log.stdout.split('\n').slice(0, -1);
        return { range: { subjects, total: Math.max(total, subjects.length) } };
    }
    /** The newest tag before `head` (lightweight tags too) and its commit, when the checkout has tags. */
    async previousTag(head) {
        if (!COMMIT_ID.test(head))
            return undefined;
        try {
            const described = await this.git(this.dir, ['describe', '--tags', '--abbrev=0', `${head}^`]);
            const tag = described.stdout.trim();
            if (described.code !== 0 || tag === '')
                return undefined;
            const peeled = await this.git(this.dir, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`]);
            const commit = peeled.stdout.trim();
            return peeled.code === 0 && COMMIT_ID.test(commit) ? { tag, commit } : undefined;
        }
        catch {
            return undefined;
        }
    }
    /** A commit's whole message, when the checkout has it. */
    async message(commit) {
        if (!COMMIT_ID.test(commit))
            return undefined;
        try {
            const shown = await this.git(this.dir, ['log', '--no-color', '--format=%B', '--max-count=1', commit]);
            return shown.code === 0 ? shown.stdout.trim() : undefined;
        }
        catch {
            return undefined;
        }
    }
}
function firstLine(text) {
    return inline(text.trim().split('\n')[0] || 'no message', 200);
}

;// CONCATENATED MODULE: ./src/release-notes/base.ts



/** Builds searched, newest first: a branch's previous build is rarely further back. */
const MAX_BUILDS_SEARCHED = 1000;
const base_PAGE_SIZE = 100;
/** Pages asked for at most, should the API answer smaller pages than asked. */
const MAX_PAGES = 20;
function base_text(value) {
    return typeof value === 'string' ? value.trim() : '';
}
/** Whether a build is of this run, of its commit, the one being updated, or never reached testers. */
function excluded(build, { run, buildId }) {
    if (build.id === buildId || build.status === 'error')
        return true;
    const info = (build.deployer?.info ?? {});
    const commit = base_text(info.commit).toLowerCase();
    if (commit !== '' && run.sha && (run.sha.toLowerCase().startsWith(commit) || commit.startsWith(run.sha.toLowerCase())))
        return true;
    const repository = run.repository || run.payload.repository?.full_name;
    if (!repository || !run.runId)
        return false;
    // An attempt's page is under the run's.
    const ours = runUrl(`${run.serverUrl}/${repository}`, run.runId);
    const theirs = base_text(info.buildUrl).replace(/\/attempts\/\d+$/, '');
    return theirs === ours;
}
/** The commit a build was made from, when its deployer names one. */
function commitOf(build) {
    const commit = base_text(build.deployer?.info?.commit);
    return COMMIT_ID.test(commit) ? commit : undefined;
}
/** The newest build that `matches`, has a commit and is not excluded; undefined when none among the newest searched. */
async function newestEarlierBuild(api, thisRun, matches) {
    let walked = 0;
    for (let page = 1; page <= MAX_PAGES && walked < MAX_BUILDS_SEARCHED; page++) {
        const result = await api.listPage({ page, limit: base_PAGE_SIZE }, { fallback: true });
        if (result.items.length === 0)
            return undefined;
        for (const build of result.items) {
            if (walked++ >= MAX_BUILDS_SEARCHED)
                return undefined;
            const info = (build.deployer?.info ?? {});
            if (matches(info) && commitOf(build) !== undefined && !excluded(build, thisRun))
                return build;
        }
        if (isLastPage(result, page, walked))
            return undefined;
        if (result.nextPage !== undefined && result.nextPage > page)
            page = result.nextPage - 1;
    }
    return undefined;
}
function ofBranch(branch) {
    return (info) => base_text(info.branch) === branch;
}
/** A build of a tag other than `tag`. */
function ofAnotherTag(tag) {
    return (info) => base_text(info.tag) !== '' && base_text(info.tag) !== tag;
}

;// CONCATENATED MODULE: ./src/release-notes/history.ts
// changelog: auto on a push or a tag: the subjects of the commits since the build testers had before, read from
// the checkout when it has them, else from GitHub's compare API; when neither can say, the head commit's message,
// with a notice that says why.






const SEARCHED = `among the newest ${MAX_BUILDS_SEARCHED.toLocaleString('en')} builds in Applivery`;
async function baseOf(ctx, clone) {
    const thisRun = { run: ctx.run, buildId: ctx.buildId };
    const tag = tagOf(ctx.run);
    try {
        if (tag !== undefined) {
            const previous = await clone.previousTag(ctx.run.sha);
            if (previous)
                return { commit: previous.commit, what: `tag ${inline(previous.tag)}` };
            const build = await newestEarlierBuild(ctx.api, thisRun, ofAnotherTag(tag));
            if (build)
                return { commit: commitOf(build), what: `build ${inline(build.id)} of tag ${inline(build.deployer?.info?.tag)}` };
            return { why: `the checkout has no earlier tag, and there is no build of another tag ${SEARCHED}` };
        }
        const branch = branchOf(ctx.run);
        if (branch === undefined)
            return { why: 'the run is for no branch or tag' };
        const build = await newestEarlierBuild(ctx.api, thisRun, ofBranch(branch));
        if (build)
            return { commit: commitOf(build), what: `build ${inline(build.id)} of branch ${inline(branch)}` };
        return { why: `there is no earlier build of branch ${inline(branch)} ${SEARCHED}` };
    }
    catch (err) {
        return { why: `the builds in Applivery could not be listed (${inline(reason(err), 300)})` };
    }
}
/** The commits after `base` up to `head`: from the checkout, else from GitHub; or why neither could say. */
async function rangeOf(ctx, clone, base, head) {
    const local = await clone.commitsBetween(base, head);
    if ('range' in local)
        return local.range;
    const repository = ctx.run.repository || ctx.run.payload.repository?.full_name;
    if (!ctx.commits)
        return { why: `${local.why}, and GitHub's compare API was not asked: there is no github-token` };
    if (!repository)
        return { why: `${local.why}, and the run names no repository (GITHUB_REPOSITORY) to ask GitHub about` };
    try {
        const range = await ctx.commits.commitsBetween(repository, base, head);
        ctx.log.info(`changelog: auto: ${local.why}; the commits come from GitHub's compare API`);
        return range;
    }
    catch (err) {
        return { why: `${local.why}, and ${inline(err instanceof Error ? err.message : String(err), 400)}` };
    }
}
async function commitNotes(ctx) {
    const clone = new Clone(ctx.workspace, ctx.git);
    const head = ctx.run.sha ?? '';
    const base = COMMIT_ID.test(head) ? await baseOf(ctx, clone) : { why: 'the run names no commit (GITHUB_SHA)' };
    if ('why' in base)
        return headCommitNotes(ctx, clone, base.why);
    const since = `${base.what} (${base.commit.slice(0, 7)})`;
    const range = await rangeOf(ctx, clone, base.commit, head);
    if ('why' in range)
        return headCommitNotes(ctx, clone, `the commits since ${since} are not known: ${range.why}`);
    if (range.total === 0)
        return headCommitNotes(ctx, clone, `there are no commits since ${since}`);
    ctx.log.info(`changelog: auto: the ${range.total} commit${range.total === 1 ? '' : 's'} since ${since}`);
    return commitList(range.subjects, range.total);
}
/** The head commit's message, from the event or the checkout, and a notice that says why it is sent. */
async function headCommitNotes(ctx, clone, why) {
    const message = ctx.run.payload.head_commit?.message?.trim() || (await clone.message(ctx.run.sha ?? ''));
    if (!message) {
        ctx.log.notice(`changelog: auto: ${why}; the head commit's message is not known either, so no release notes are sent`);
        return '';
    }
    ctx.log.notice(`changelog: auto: ${why}; sending the head commit's message instead`);
    const cap = MAX_RELEASE_NOTES_CHARS.toLocaleString('en');
    return cutText(message, `cut at ${cap} characters`);
}

;// CONCATENATED MODULE: ./src/release-notes/index.ts



async function autoReleaseNotes(ctx) {
    const pullRequest = ctx.run.payload.pull_request;
    if (pullRequest && typeof pullRequest.title === 'string') {
        const body = typeof pullRequest.body === 'string' && pullRequest.body.trim() !== '' ? `\n\n${pullRequest.body.trim()}` : '';
        const cap = MAX_RELEASE_NOTES_CHARS.toLocaleString('en');
        ctx.log.info("changelog: auto: the pull request's title and body");
        return cutText(`${pullRequest.title}${body}`, `cut at ${cap} characters; the pull request has the rest`);
    }
    return commitNotes(ctx);
}
/** The notes to send: as the inputs give them, or made from the run (changelog: auto); the summary shows them. */
async function releaseNotesText(ctx, changelog) {
    if (changelog === undefined)
        return undefined;
    const text = changelog === 'auto' ? await autoReleaseNotes(ctx) : changelog.text;
    // Notes made from nothing are not sent: an update keeps the build's own.
    if (changelog === 'auto' && text === '')
        return undefined;
    ctx.report.releaseNotes = text;
    return text;
}

;// CONCATENATED MODULE: ./src/operations/update.ts
// operation: update — sends only the fields that are set (settings/update.ts); tags replace the build's tags.

async function update(ctx, buildId, settings) {
    const changelog = settings.autoChangelog ? await releaseNotesText({ ...ctx, buildId }, 'auto') : undefined;
    const fields = changelog === undefined ? settings.fields : { ...settings.fields, changelog };
    if (Object.keys(fields).length === 0) {
        ctx.log.info(`Build ${buildId}: nothing to change`);
        ctx.report.build = await ctx.api.getBuild(buildId);
        return;
    }
    ctx.log.info(`Updating build ${buildId}: ${Object.keys(fields).join(', ')}`);
    const written = await ctx.api.updateBuild(buildId, fields);
    // A dry run reads the build, so a wrong build-id or token shows, and reports it unchanged.
    ctx.report.build = written.sent ? written.value : await ctx.api.getBuild(buildId);
}

;// CONCATENATED MODULE: ./src/output/progress.ts
// Upload progress for the log: at most one line every 10 seconds or 10 percent, never per chunk.

const MIN_INTERVAL_MS = 10_000;
const MIN_STEP = 0.1;
/** Smaller bodies go up in a moment; progress lines would only be noise. */
const MIN_REPORTED_BYTES = 32 * 1024 * 1024;
function progressLogger(log, label, total, now = Date.now) {
    if (total < MIN_REPORTED_BYTES)
        return undefined;
    const started = now();
    let lastAt = started;
    let lastFraction = 0;
    return (sent) => {
        const at = now();
        const fraction = total > 0 ? Math.min(sent / total, 1) : 1;
        const due = at - lastAt >= MIN_INTERVAL_MS || fraction - lastFraction >= MIN_STEP || fraction === 1;
        if (!due || fraction === lastFraction)
            return;
        lastAt = at;
        lastFraction = fraction;
        const seconds = Math.max((at - started) / 1000, 0.001);
        const rate = sent / seconds;
        const left = rate > 0 ? Math.round((total - sent) / rate) : 0;
        log.info(`${label}: ${formatBytes(sent)} of ${formatBytes(total)} (${Math.floor(fraction * 100)}%), ` + `${formatBytes(rate)}/s, ${left}s left`);
    };
}

;// CONCATENATED MODULE: ./src/operations/find-upload.ts
/** How many of the newest builds are read before an upload, and searched after one whose answer was lost. */
const RECENT_BUILDS = 100;
/** Fields that, where both sides have them, must be equal for a build to be this step's. */
const RUN_KEYS = ['commit', 'buildUrl', 'buildNumber', 'branch', 'tag'];
class AmbiguousUploadError extends Error {
    name = 'AmbiguousUploadError';
}
/** The newest builds; reading them also checks the token and the app before any file is sent. */
async function recentBuilds(ctx) {
    return (await ctx.api.listPage({ page: 1, limit: RECENT_BUILDS }, { fallback: true })).items;
}
function find_upload_text(value) {
    const trimmed = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
    return trimmed === '' ? undefined : trimmed;
}
/** A timestamp as Unix milliseconds, from seconds, milliseconds (number or text) or an ISO date. */
function timestampMs(value) {
    const raw = typeof value === 'number' ? value : typeof value === 'string' ? value.trim() : undefined;
    if (raw === undefined || raw === '')
        return undefined;
    const number = Number(raw);
    if (Number.isFinite(number))
        return number < 1e11 ? number * 1000 : number;
    const parsed = typeof raw === 'string' ? Date.parse(raw) : NaN;
    return Number.isNaN(parsed) ? undefined : parsed;
}
/** Whether a build carries this step's deployer metadata; a build that says too little does not count. */
function isFromThisStep(build, deployer) {
    const info = (build.deployer?.info ?? {});
    for (const key of RUN_KEYS) {
        const theirs = find_upload_text(info[key]);
        const ours = deployer[key];
        if (theirs !== undefined && ours !== undefined && theirs !== ours)
            return false;
    }
    const at = timestampMs(info.triggerTimestamp);
    // Within a second: a server that keeps seconds has dropped the milliseconds.
    if (at !== undefined)
        return Math.abs(at - Number(deployer.triggerTimestamp)) < 1000;
    const commit = find_upload_text(info.commit);
    const run = find_upload_text(info.buildUrl);
    return commit !== undefined && run !== undefined && commit === deployer.commit && run === deployer.buildUrl;
}
/** Of the builds that may be this upload's, the one it is; throws rather than guess between several. */
function pickUpload(candidates, deployer, fileSize) {
    if (candidates.length <= 1)
        return candidates[0];
    const ours = Number(deployer.triggerTimestamp);
    const narrowings = [
        (build) => timestampMs(build.deployer?.info?.triggerTimestamp) === ours,
        (build) => build.size === fileSize
    ];
    for (const narrowing of narrowings) {
        const narrowed = candidates.filter(narrowing);
        if (narrowed.length === 1)
            return narrowed[0];
    }
    throw new AmbiguousUploadError(`${candidates.length} new builds carry this step's deployer metadata (${candidates.map((build) => build.id).join(', ')}); ` +
        'cannot tell which one this upload created');
}
/** Looks among the newest builds for the one this upload created; undefined when it is not (yet) there. */
function findUploaded(ctx, deployer, fileSize, before) {
    return async () => {
        const { items } = await ctx.api.listPage({ page: 1, limit: RECENT_BUILDS }, { fallback: true });
        const candidates = items.filter((build) => !before.has(build.id) && isFromThisStep(build, deployer));
        return pickUpload(candidates, deployer, fileSize);
    };
}
/** The platform Applivery files a build of this file under: the custom build platform, or its extension's. */
function platformOfFile(fileName, buildPlatform) {
    if (buildPlatform)
        return buildPlatform;
    if (/\.ipa$/i.test(fileName))
        return 'ios';
    return /\.(apk|aab)$/i.test(fileName) ? 'android' : undefined;
}
/**
 * On a re-run: the newest build that an earlier attempt of this run uploaded from this file, and that did not end
 * in error. Its run URL is this run's (an attempt's is under it), its commit this step's, and its platform, size
 * and extension the file's, wherever the answer says them.
 */
function earlierAttemptsUpload(builds, deployer, attempt, file) {
    const runUrl = deployer.buildUrl?.replace(/\/attempts\/\d+$/, '');
    if (!runUrl || !deployer.commit)
        return undefined;
    const extension = /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase();
    for (const build of builds) {
        const info = (build.deployer?.info ?? {});
        const url = find_upload_text(info.buildUrl ?? info.build_url);
        const made = url === runUrl ? { attempt: undefined } : attemptUnder(url, runUrl);
        if (!made || (made.attempt !== undefined && made.attempt >= attempt))
            continue;
        if (find_upload_text(info.commit ?? info.git_commit) !== deployer.commit || build.status === 'error')
            continue;
        const platforms = [build.os, build.buildPlatform].map((value) => String(value ?? '').toLowerCase());
        if (file.platform !== undefined && !platforms.includes(file.platform))
            continue;
        // Without the size Applivery's answer cannot tell this file from another job's of the same platform.
        if (typeof build.size !== 'number' || build.size !== file.size)
            continue;
        const theirs = find_upload_text(build.originalExtension)?.replace(/^\./, '').toLowerCase();
        if (theirs !== undefined && extension !== undefined && theirs !== extension)
            continue;
        return { build, attempt: made.attempt };
    }
    return undefined;
}
/** The attempt an attempt's page under `runUrl` names, or undefined when `url` is not one. */
function attemptUnder(url, runUrl) {
    const match = url === undefined ? null : /^(.*)\/attempts\/(\d+)$/.exec(url);
    return match && match[1] === runUrl ? { attempt: Number(match[2]) } : undefined;
}

;// CONCATENATED MODULE: ./src/operations/upload.ts
// operation: upload — streams the build with its metadata, then optionally waits for processing.








/** The multipart fields, named as Applivery names them; only what is set is sent; the build file last. */
function uploadParts(upload, deployer, changelog) {
    const parts = [];
    const field = (name, value) => {
        if (value !== undefined)
            parts.push({ name, value: String(value) });
    };
    field('versionName', upload.versionName);
    field('tags', upload.tags?.join(','));
    field('changelog', changelog);
    field('notifyCollaborators', upload.notify.collaborators);
    field('notifyEmployees', upload.notify.employees);
    field('notifyMessage', upload.notify.message);
    field('notifyLanguage', upload.notify.language);
    upload.notify.groups?.forEach((clause, i) => clause.forEach((group, j) => field(`filter[${i}][${j}]`, group)));
    field('buildPlatform', upload.package.buildPlatform);
    field('packageName', upload.package.packageName);
    field('packageVersion', upload.package.packageVersion);
    field('deployer.name', upload.deployerName);
    for (const [key, value] of Object.entries(deployer))
        field(`deployer.info.${key}`, value);
    const icon = upload.package.packageIcon;
    if (icon) {
        const contentType = /\.png$/i.test(icon.name) ? 'image/png' : 'image/jpeg';
        parts.push({ name: 'packageIcon', filename: icon.name, file: icon, contentType });
    }
    const { file } = upload;
    parts.push({ name: 'build', filename: file.name, file });
    return parts;
}
/**
 * On a re-run (on-rerun: reuse): the build an earlier attempt of this run uploaded from this file becomes this
 * step's, so the file is not uploaded (nor testers notified) twice. True when it was found.
 */
function reuseEarlierAttempts(ctx, settings, deployer, recent) {
    const attempt = ctx.run.runAttempt ?? 1;
    if (settings.onRerun !== 'reuse' || attempt <= 1)
        return false;
    const { file } = settings;
    const platform = platformOfFile(file.name, settings.package.buildPlatform);
    const earlier = earlierAttemptsUpload(recent, deployer, attempt, { name: file.name, size: file.size, platform });
    if (!earlier) {
        ctx.log.info(`Re-run (attempt ${attempt}): no earlier attempt of this run uploaded ${inline(file.name)}; uploading it`);
        return false;
    }
    const by = earlier.attempt === undefined ? 'an earlier attempt' : `attempt ${earlier.attempt}`;
    ctx.report.build = earlier.build;
    ctx.report.reused = true;
    ctx.log.notice(`Re-run (attempt ${attempt}): ${inline(file.name)} was uploaded by ${by} of this run as build ${earlier.build.id}; ` +
        'going on from it, not uploading it again (on-rerun: upload uploads anyway)');
    return true;
}
/** The step was cancelled while the file was being sent: its build may still appear in Applivery. */
class UploadCancelledError extends Error {
    triggerTimestamp;
    name = 'UploadCancelledError';
    constructor(
    /** The deployer triggerTimestamp by which the build can be found if it appears. */
    triggerTimestamp, cause) {
        super(`the upload was cancelled; its build may still appear, with deployer triggerTimestamp ${triggerTimestamp}`, { cause });
        this.triggerTimestamp = triggerTimestamp;
    }
}
async function upload(ctx, settings, wait) {
    const { file } = settings;
    const deployer = deployerInfo(ctx.run, ctx.startedAtMs);
    // Before any byte of the file: checks the token and the app, and notes which builds already exist.
    const recent = await recentBuilds(ctx).catch((err) => {
        const reason = err instanceof Error ? err.message : String(err);
        throw new Error(`Upload ${inline(file.name)}: the check before sending it failed: ${reason}`, { cause: err });
    });
    if (reuseEarlierAttempts(ctx, settings, deployer, recent)) {
        if (wait.enabled)
            await waitForProcessing(ctx, ctx.report.build.id, wait.timeoutMs, ctx.report.build);
        return;
    }
    ctx.report.reused = false;
    // Made only for a build that is sent: a reused one keeps the notes it was uploaded with.
    const changelog = await releaseNotesText(ctx, settings.changelog);
    const body = multipartBody(uploadParts(settings, deployer, changelog));
    const before = new Set(recent.map((build) => build.id));
    ctx.log.info(`Uploading ${inline(file.name)} (${formatBytes(file.size)})`);
    const progress = progressLogger(ctx.log, `Uploading ${inline(file.name)}`, body.contentLength);
    const written = await ctx.api.uploadBuild(body, findUploaded(ctx, deployer, file.size, before), progress).catch((err) => {
        throw ctx.signal?.aborted ? new UploadCancelledError(deployer.triggerTimestamp, err) : err;
    });
    if (!written.sent)
        return;
    const build = written.value;
    if (!build?.id)
        throw new Error('Upload build: Applivery answered without the build it created');
    ctx.report.build = build;
    // The network may have taken the file's last bytes before it changed: its path is checked once more.
    await body.verify().catch((err) => {
        throw new Error(`${err instanceof Error ? err.message : String(err)}. Build ${build.id} was made from the file as it was read: ` +
            'check it, or delete it with operation: delete', { cause: err });
    });
    ctx.log.notice(`Uploaded ${inline(file.name)} to Applivery as build ${build.id}${settings.versionName ? ` (${inline(settings.versionName)})` : ''}`);
    ctx.log.info(`Uploaded build ${build.id} (status '${inline(build.status, 40)}')`);
    if (wait.enabled)
        await waitForProcessing(ctx, build.id, wait.timeoutMs, build);
}

;// CONCATENATED MODULE: ./src/operations/index.ts










const ROUTES = {
    upload: async (settings, ctx) => {
        await upload(ctx, settings.upload, settings.wait);
        // After the wait, if any: a page filtered by branch or tag serves only processed builds.
        if (settings.publish)
            await publishUploaded(ctx, settings.publish, ctx.report.build);
    },
    get: (settings, ctx) => get(ctx, settings.buildId, settings.wait, settings.installPage),
    list: (settings, ctx) => list(ctx, settings.list),
    update: (settings, ctx) => update(ctx, settings.buildId, settings.update),
    delete: (settings, ctx) => deleteBuild(ctx, settings.buildId, settings.wait.timeoutMs, settings.force),
    attach: (settings, ctx) => attach(ctx, settings.buildId, settings.attach, settings.wait.timeoutMs),
    prune: (settings, ctx) => prune(ctx, settings.prune),
    publish: (settings, ctx) => publish(ctx, settings.publish),
    unpublish: (settings, ctx) => unpublish(ctx, settings.installPage)
};
async function runOperation(settings, ctx) {
    const route = ROUTES[settings.operation];
    await route(settings, ctx);
    if (settings.comment)
        await commentOnPullRequest(ctx, settings.comment, settings.dryRun);
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/settings/files.ts
// Resolves file inputs (paths or globs) to readable, non-empty regular files, before any request. A file must
// be inside the workspace (or the runner's temp folder) once symbolic links are resolved, and never inside a
// .git folder, whose config holds the checkout's token; globs stay in the workspace, and their walk is bounded.



/** A glob's walk stops past this many directory entries, or this long: a pattern over / or a huge tree fails clearly. */
const GLOB_ENTRIES = 500_000;
const GLOB_MS = 60_000;
/** A pattern without any of these characters is a plain path. */
const GLOB_CHARACTERS = /[*?[\]{}()!]/;
/** The glob library, when one of `patterns` may be a glob. */
async function loadGlobber(patterns) {
    // A chunk of its own (dist/), loaded only here.
    return patterns.some((pattern) => GLOB_CHARACTERS.test(pattern)) ? await __nccwpck_require__.e(/* import() */ 382).then(__nccwpck_require__.bind(__nccwpck_require__, 382)) : undefined;
}
function files_isWindows(files) {
    return (files.platform ?? process.platform) === 'win32';
}
function globPattern(pattern, files) {
    return files_isWindows(files) ? pattern.replace(/\\/g, '/') : pattern;
}
function isGlob(pattern, files) {
    if (!GLOB_CHARACTERS.test(pattern))
        return false;
    if (!files.globber)
        throw new Error(`'${pattern}' may be a glob, but the glob library was not loaded (loadGlobber)`);
    return files.globber.isDynamicPattern(globPattern(pattern, files));
}
/** The real path, symbolic links resolved; the path itself when it does not exist. */
function realPath(path) {
    try {
        return external_node_fs_namespaceObject.realpathSync.native(path);
    }
    catch {
        return path;
    }
}
function isInside(path, root) {
    const rel = (0,external_node_path_namespaceObject.relative)(root, path);
    return rel === '' || (!rel.startsWith('..') && !(0,external_node_path_namespaceObject.isAbsolute)(rel));
}
/** Whether any folder on `path` is named .git (in any case: macOS and Windows do not tell them apart). */
function inGitFolder(path) {
    return path.split(/[\\/]/).some((segment) => segment.toLowerCase() === '.git');
}
/**
 * Git's credential and config files outside .git: actions/checkout v6 keeps the token in the runner's temp folder
 * (git-credentials-<uuid>.config), and a user's .gitconfig or .git-credentials may hold one.
 */
const GIT_CREDENTIALS = /^(\.git-credentials|\.gitconfig|git-credentials-.*\.config)$/i;
function rootsOf(files) {
    return (files.roots ?? [files.cwd]).map(realPath);
}
/** Refuses a path (real or as given) in a .git folder, or, unless allowed, outside the roots. */
function checkPlace(input, given, real, files) {
    const roots = rootsOf(files);
    const root = roots.find((candidate) => isInside(real, candidate));
    // Inside a root, only the part below it counts: a workspace that is itself under a folder named .git is not refused.
    const below = (path, base) => (base && isInside(path, base) ? (0,external_node_path_namespaceObject.relative)(base, path) : path);
    const shown = real === given ? real : `${given}, which resolves to ${real},`;
    if (inGitFolder(below(real, root)) || inGitFolder(below(given, files.cwd))) {
        throw new InputError(input, `${shown} is inside a .git folder, which holds the checkout's credentials; it is never read`);
    }
    if (GIT_CREDENTIALS.test((0,external_node_path_namespaceObject.basename)(real)) || GIT_CREDENTIALS.test((0,external_node_path_namespaceObject.basename)(given))) {
        throw new InputError(input, `${shown} is a git credentials or config file, which may hold the checkout's token; it is never read`);
    }
    if (root === undefined && !files.allowOutsideWorkspace) {
        const where = real === given ? real : `${given} resolves to ${real}, which is`;
        throw new InputError(input, `${where} outside the workspace (${roots.join(', ')}); keep the file in the workspace, or set allow-outside-workspace: true`);
    }
}
/** The folder a glob starts its walk in: its leading segments that hold no glob characters. */
function globBase(pattern, files) {
    const segments = globPattern(pattern, files).split('/');
    const fixed = [];
    for (const segment of segments.slice(0, -1)) {
        if (GLOB_CHARACTERS.test(segment))
            break;
        fixed.push(segment);
    }
    // ['', ...] is an absolute pattern ('/' is its first folder); ['C:', ...] one on a drive.
    return (0,external_node_path_namespaceObject.resolve)(files.cwd, fixed.length === 0 ? '.' : `${fixed.join('/')}/`);
}
/** The glob's matches, its walk bounded in entries and time. */
function globFiles(input, pattern, files) {
    const base = globBase(pattern, files);
    if (!files.allowOutsideWorkspace && !rootsOf(files).some((root) => isInside(realPath(base), root))) {
        throw new InputError(input, `'${pattern}' searches ${base}, outside the workspace; set allow-outside-workspace: true to search there`);
    }
    let visited = 0;
    const limitMs = files.globMs ?? GLOB_MS;
    const deadline = Date.now() + limitMs;
    let exceeded = false;
    const fs = {
        readdirSync: ((path, options) => {
            if (exceeded)
                throw new Error('glob limit');
            const entries = (0,external_node_fs_namespaceObject.readdirSync)(path, options);
            visited += entries.length;
            if (visited > GLOB_ENTRIES || Date.now() >= deadline) {
                exceeded = true;
                throw new Error('glob limit');
            }
            return entries;
        })
    };
    // Symbolic links are neither followed nor matched: a link out of the workspace, or a loop, is never walked.
    const options = { cwd: files.cwd, absolute: true, onlyFiles: true, dot: true, expandDirectories: false, followSymbolicLinks: false, fs };
    let found = [];
    try {
        found = files.globber.globSync(globPattern(pattern, files), options);
    }
    catch (err) {
        if (!exceeded)
            throw err;
    }
    if (exceeded) {
        throw new InputError(input, `'${pattern}' walked more than ${GLOB_ENTRIES.toLocaleString('en')} folder entries or ${limitMs / 1000}s; ` +
            'narrow it, e.g. app/build/outputs/**/*.apk');
    }
    // Native separators, so messages and file names look as the user's system writes paths.
    return found.map((path) => (0,external_node_path_namespaceObject.resolve)(path)).sort();
}
/** Paths of the files one pattern names: a literal path when it exists, otherwise the glob's matches. */
function expand(input, pattern, files) {
    const literal = (0,external_node_path_namespaceObject.resolve)(files.cwd, pattern);
    if (exists(literal))
        return [literal];
    return isGlob(pattern, files) ? globFiles(input, pattern, files) : [];
}
function noMatch(pattern, files) {
    return isGlob(pattern, files) ? `'${pattern}' matches no file` : `${(0,external_node_path_namespaceObject.resolve)(files.cwd, pattern)} does not exist`;
}
function checkFile(input, path, files) {
    const real = realPath(path);
    checkPlace(input, path, real, files);
    let stats;
    try {
        stats = (0,external_node_fs_namespaceObject.statSync)(real);
    }
    catch {
        throw new InputError(input, `${path} does not exist`);
    }
    if (stats.isDirectory())
        throw new InputError(input, `${path} is a directory; give a file (zip a folder such as a .dSYM first)`);
    if (!stats.isFile())
        throw new InputError(input, `${path} is not a regular file`);
    if (stats.size === 0)
        throw new InputError(input, `${path} is empty`);
    try {
        (0,external_node_fs_namespaceObject.accessSync)(real, external_node_fs_namespaceObject.constants.R_OK);
    }
    catch {
        throw new InputError(input, `${path} is not readable`);
    }
    return { path: real, name: (0,external_node_path_namespaceObject.basename)(path), size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, dev: stats.dev };
}
/** Exactly one file: a path, or a glob that matches exactly one file. */
function resolveOneFile(input, pattern, files) {
    const paths = expand(input, pattern, files);
    if (paths.length === 0)
        throw new InputError(input, noMatch(pattern, files));
    if (paths.length > 1) {
        const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? ', ...' : '');
        throw new InputError(input, `'${pattern}' matches ${paths.length} files (${shown}); it must match exactly one`);
    }
    return checkFile(input, paths[0], files);
}
/** Several files, one path or glob per line; a line matching nothing is handled per `ifNone`. */
function resolveFiles(input, patterns, files, ifNone, warn) {
    const found = new Map();
    for (const pattern of patterns) {
        const paths = expand(input, pattern, files);
        if (paths.length === 0) {
            const message = noMatch(pattern, files);
            if (ifNone === 'error')
                throw new InputError(input, `${message} (set if-no-files-found to warn or ignore to go on)`);
            if (ifNone === 'warn')
                warn(`Input '${input}': ${message}`);
            continue;
        }
        for (const path of paths) {
            const file = checkFile(input, path, files);
            found.set(file.path, file);
        }
    }
    return [...found.values()];
}
function exists(path) {
    try {
        (0,external_node_fs_namespaceObject.statSync)(path);
        return true;
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./src/settings/fields.ts
// Fields that more than one operation reads.



function optional(value) {
    return value === '' ? undefined : value;
}
function parseTags(read) {
    const value = read('tags');
    return value === '' ? undefined : splitList(value);
}
/** The release notes: `changelog` as written, `changelog: auto`, or the text of `changelog-file`. */
function parseChangelog(read, files) {
    const inline = read('changelog');
    const path = read('changelog-file');
    if (inline !== '' && path !== '') {
        throw new InputError('changelog-file', 'cannot be used together with changelog; set one of them');
    }
    if (inline === 'auto')
        return 'auto';
    if (path === '')
        return inline === '' ? undefined : { text: inline };
    const file = resolveOneFile('changelog-file', path, files);
    return { text: (0,external_node_fs_namespaceObject.readFileSync)(file.path, 'utf8').trim() };
}

;// CONCATENATED MODULE: ./src/settings/attach.ts
// attach: the files to attach, one path or glob per line.



function parseAttach(read, files, warn) {
    const patterns = read('file')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
    if (patterns.length === 0) {
        throw new InputError('file', "is required for operation 'attach': one path or glob per line");
    }
    const ifNone = required('if-no-files-found', parseChoice('if-no-files-found', read('if-no-files-found'), ['error', 'warn', 'ignore']));
    return { files: resolveFiles('file', patterns, files, ifNone, warn), description: optional(read('description')) };
}

;// CONCATENATED MODULE: ./src/settings/types.ts
const OPERATIONS = ['upload', 'get', 'list', 'update', 'delete', 'attach', 'prune', 'publish', 'unpublish'];
const NOTIFY_LANGUAGES = ['es', 'en', 'fr', 'ge', 'it', 'zh', 'pt', 'ru'];
const BUILD_PLATFORMS = ['ios', 'macos', 'android', 'ps4', 'ps5', 'switch', 'xbox-one', 'xbox-series'];
const BUILD_STATUSES = ['pending', 'in_progress', 'processed', 'error'];
const LIST_OS = ['ios', 'android'];
const ON_RERUN = ['reuse', 'upload'];
const PUBLICATION_FILTERS = ['branch', 'git-tag', 'tags', 'build', 'last'];
const PUBLICATION_SECURITY = ['logged', 'public', 'password'];
const PUBLICATION_VISIBILITY = ['unlisted', 'active', 'inactive'];

;// CONCATENATED MODULE: ./src/settings/builds.ts
// list and prune: which builds, how many, how old.



/** Ages for pruning: no minutes or seconds, so '6m' cannot be misread as six months and prune everything. */
const OLDER_THAN_RULES = { secondsWithoutUnit: false, units: 'hdw', example: '12h, 30d, 2w', hint: 'for months use weeks, e.g. 26w' };
function parseFilters(read, statuses) {
    return {
        status: parseChoice('status', read('status'), statuses),
        os: parseChoice('os', read('os'), LIST_OS),
        versionName: optional(read('version-name')),
        tags: parseTags(read),
        branch: optional(read('branch'))
    };
}
function parseList(read) {
    return {
        ...parseFilters(read, BUILD_STATUSES),
        limit: required('limit', parseWholeNumber('limit', read('limit'), { min: 1 })),
        page: parseWholeNumber('page', read('page'), { min: 1 })
    };
}
function parsePrune(read) {
    const keep = parseWholeNumber('keep', read('keep'), { min: 0 });
    const olderThanMs = parseDuration('older-than', read('older-than'), OLDER_THAN_RULES);
    if (keep === undefined && olderThanMs === undefined) {
        throw new InputError('keep', "or older-than is required for operation 'prune' (set one or both), e.g. keep: 20 or older-than: 30d");
    }
    // Builds still being processed are never pruned, so only finished statuses make sense as a filter.
    return { filters: parseFilters(read, ['processed', 'error']), keep, olderThanMs };
}

;// CONCATENATED MODULE: ./src/settings/connection.ts

function parseConnection(read) {
    const token = read('token');
    if (token === '') {
        throw new InputError('token', 'is empty. Pass an App API token or a Service Account token from a secret, e.g. token: ${{ secrets.APPLIVERY_TOKEN }}. ' +
            'Workflows triggered by pull requests from forks receive no secrets.');
    }
    checkToken('token', token);
    const organizationId = parseId('organization-id', read('organization-id'));
    const appId = parseId('app-id', read('app-id'));
    if ((organizationId === undefined) !== (appId === undefined)) {
        const missing = organizationId === undefined ? 'organization-id' : 'app-id';
        throw new InputError(missing, 'is required together with ' +
            `${missing === 'app-id' ? 'organization-id' : 'app-id'}: set both to use the Workspace API with a Service Account token, ` +
            'or neither to use the Integrations API with an App API token');
    }
    const scope = organizationId !== undefined && appId !== undefined ? { kind: 'workspace', organizationId, appId } : { kind: 'integrations' };
    return {
        token,
        scope,
        apiUrl: parseServiceUrl('api-url', read('api-url')),
        uploadUrl: parseServiceUrl('upload-url', read('upload-url'))
    };
}

;// CONCATENATED MODULE: ./src/settings/defaults.ts
const INPUT_DEFAULTS = {
    operation: 'upload',
    'api-url': 'https://api.applivery.io',
    'upload-url': 'https://upload.applivery.io',
    'deployer-name': 'GitHub Actions',
    wait: 'false',
    'wait-timeout': '15m',
    limit: '100',
    'if-no-files-found': 'error',
    'allow-outside-workspace': 'false',
    'on-rerun': 'reuse',
    force: 'false',
    'dry-run': 'false',
    publish: 'false',
    'publication-security': 'logged',
    'publication-visibility': 'unlisted',
    'pr-comment': 'false'
};
/** Reads an input, or its default when it is empty. */
function withDefaults(read) {
    return (name) => read(name) || (INPUT_DEFAULTS[name] ?? '');
}

;// CONCATENATED MODULE: ./src/settings/update.ts


const WORKSPACE_ONLY_UPDATE_INPUTS = [
    'metadata',
    'disabled',
    'pre-install-script',
    'post-install-script',
    'audit-script',
    'enforce-script',
    'script-runner'
];
function parseUpdate(read, scope, files) {
    if (scope.kind === 'integrations') {
        const used = WORKSPACE_ONLY_UPDATE_INPUTS.find((name) => read(name) !== '');
        if (used) {
            throw new InputError(used, 'can only be updated through the Workspace API: set organization-id and app-id and use a Service Account token');
        }
    }
    const scripts = setOnly({
        preInstall: optional(read('pre-install-script')),
        postInstall: optional(read('post-install-script')),
        audit: optional(read('audit-script')),
        enforce: optional(read('enforce-script')),
        runner: optional(read('script-runner'))
    });
    const changelog = parseChangelog(read, files);
    const fields = setOnly({
        versionName: optional(read('version-name')),
        tags: parseTags(read),
        changelog: changelog === 'auto' ? undefined : changelog?.text,
        metadata: parseJsonObject('metadata', read('metadata')),
        disabled: parseBoolean('disabled', read('disabled')),
        defaultScripts: Object.keys(scripts).length > 0 ? scripts : undefined
    });
    if (Object.keys(fields).length === 0 && changelog !== 'auto') {
        const names = [
            'version-name',
            'tags',
            'changelog',
            'changelog-file',
            ...(scope.kind === 'workspace' ? WORKSPACE_ONLY_UPDATE_INPUTS : [])
        ];
        throw new InputError('operation', `'update' has nothing to change: set at least one of ${names.join(', ')}`);
    }
    return { fields, autoChangelog: changelog === 'auto' };
}
/** The fields that are set: what is not set is not sent, so Applivery leaves it as it is. */
function setOnly(fields) {
    return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

;// CONCATENATED MODULE: ./src/settings/upload.ts
// upload: the build file, its metadata, notifications and custom-platform package fields.




function parseUpload(read, files) {
    const pattern = read('file');
    if (pattern === '')
        throw new InputError('file', "is required for operation 'upload': the path or glob of the build file");
    const languageHint = read('notify-language') === 'de' ? " (German is 'ge')" : '';
    const notify = {
        collaborators: parseBoolean('notify-collaborators', read('notify-collaborators')),
        employees: parseBoolean('notify-employees', read('notify-employees')),
        message: optional(read('notify-message')),
        language: parseChoice('notify-language', read('notify-language'), NOTIFY_LANGUAGES, languageHint),
        groups: read('notify-groups') === '' ? undefined : parseGroups(read('notify-groups'))
    };
    const pkg = {
        buildPlatform: parseChoice('build-platform', read('build-platform'), BUILD_PLATFORMS),
        packageName: optional(read('package-name')),
        packageVersion: optional(read('package-version')),
        packageIcon: read('package-icon') === '' ? undefined : resolveOneFile('package-icon', read('package-icon'), files)
    };
    if (pkg.packageIcon && !/\.(png|jpe?g)$/i.test(pkg.packageIcon.name)) {
        throw new InputError('package-icon', `${pkg.packageIcon.name} must be a .png or .jpeg image`);
    }
    if (pkg.buildPlatform !== undefined) {
        const missing = ['package-name', 'package-version', 'package-icon'].filter((name) => read(name) === '');
        if (missing.length > 0) {
            throw new InputError(missing[0], `is required with build-platform '${pkg.buildPlatform}' (set ${missing.join(', ')})`);
        }
    }
    return {
        file: resolveOneFile('file', pattern, files),
        versionName: optional(read('version-name')),
        tags: parseTags(read),
        changelog: parseChangelog(read, files),
        notify,
        package: pkg,
        deployerName: read('deployer-name'),
        onRerun: required('on-rerun', parseChoice('on-rerun', read('on-rerun'), ON_RERUN))
    };
}

;// CONCATENATED MODULE: ./src/settings/github.ts

/** github-token as given; '' when unset. Outside the runner (a local run) the default expression arrives unevaluated. */
function githubTokenOf(read) {
    const token = read('github-token');
    if (token.startsWith('${{'))
        return '';
    if (token !== '')
        checkToken('github-token', token);
    return token;
}
function githubApi(token, run) {
    return { githubToken: token, apiUrl: run.apiUrl || 'https://api.github.com' };
}
/** GitHub's compare API for changelog: auto, when there is a token to ask it with. */
function parseCommitHistory(read, run) {
    const token = githubTokenOf(read);
    return token === '' ? undefined : githubApi(token, run);
}

;// CONCATENATED MODULE: ./src/settings/publication.ts






function parseInstallPageTarget(read, run, scope) {
    const slug = read('slug');
    if (slug !== '' && (!SLUG_PATTERN.test(slug) || slug.length < SLUG_LENGTH.min || slug.length > SLUG_LENGTH.max)) {
        throw new InputError('slug', `'${slug}' is not a valid slug: use ${SLUG_RULE}`);
    }
    const runKey = runKeyOf(run);
    if (slug === '' && runKey === undefined) {
        throw new InputError('slug', 'is required here: this run is for no branch, tag or pull request, so no slug can be derived from it');
    }
    const storeId = parseId('store-id', read('store-id'));
    if (storeId !== undefined && scope.kind !== 'workspace') {
        throw new InputError('store-id', 'is for the Workspace API only (with organization-id and app-id); the Integrations API finds the page by its token');
    }
    return { slug: slug || undefined, runKey, storeId };
}
/** The run's part of a derived slug: pull requests by number, tag pushes and releases by tag, else the branch. */
function runKeyOf(run) {
    const pullRequest = pullRequestOf(run);
    const number = pullRequest?.number ?? run.payload.number;
    if (pullRequest && number !== undefined)
        return `pr-${number}`;
    return tagOf(run) ?? branchOf(run);
}
function parseInstallPage(read, run, scope, { buildIdInput, warn }) {
    const target = parseInstallPageTarget(read, run, scope);
    const security = required('publication-security', parseChoice('publication-security', read('publication-security'), PUBLICATION_SECURITY));
    const password = read('publication-password');
    if (security === 'password' && password === '') {
        throw new InputError('publication-password', 'is required with publication-security: password (pass it from a secret)');
    }
    if (security !== 'password' && password !== '') {
        throw new InputError('publication-password', `is only used with publication-security: password, not '${security}'; remove it or change the security`);
    }
    return {
        ...target,
        filter: parseFilter(read, run, buildIdInput, warn),
        security,
        password: password || undefined,
        visibility: required('publication-visibility', parseChoice('publication-visibility', read('publication-visibility'), PUBLICATION_VISIBILITY))
    };
}
function parseFilter(read, run, buildIdInput, warn) {
    const tag = tagOf(run);
    const kind = parseChoice('publication-filter', read('publication-filter'), PUBLICATION_FILTERS) ?? (tag !== undefined ? 'git-tag' : 'branch');
    switch (kind) {
        case 'branch': {
            const branch = branchOf(run);
            if (branch === undefined) {
                throw new InputError('publication-filter', "'branch' needs a branch, and this run is for none: choose git-tag, tags, build or last");
            }
            const fork = forkOf(run);
            if (fork) {
                warn(`publication-filter branch: pull request from the fork ${fork}, whose branch '${branch}' may share its name with ` +
                    "a branch of this repository; the page would serve either one's newest build. publication-filter: build serves exactly this one");
            }
            return { kind, branch };
        }
        case 'git-tag':
            if (tag === undefined) {
                throw new InputError('publication-filter', "'git-tag' needs a tag push or a release, and this run is neither: choose branch, tags, build or last");
            }
            return { kind, tag };
        case 'tags': {
            const tags = parseTags(read);
            if (!tags || tags.length === 0)
                throw new InputError('tags', "is required with publication-filter: tags (the tags the page's builds carry)");
            return { kind, tags };
        }
        case 'build':
            return { kind, buildId: buildIdInput };
        case 'last':
            return { kind };
    }
}
/** The fork a pull request comes from, if it does: its branch names are its own, not this repository's. */
function forkOf(run) {
    const head = pullRequestOf(run)?.head?.repo?.full_name;
    return head && run.repository && head.toLowerCase() !== run.repository.toLowerCase() ? head : undefined;
}
/** pr-comment: only where a build or a page can be shown. */
function parseComment(read, run, operation) {
    if (!required('pr-comment', parseBoolean('pr-comment', read('pr-comment'))))
        return undefined;
    if (!['upload', 'publish', 'get'].includes(operation)) {
        throw new InputError('pr-comment', `is for operations upload, publish and get, not '${operation}'`);
    }
    const githubToken = githubTokenOf(read);
    if (githubToken === '') {
        throw new InputError('github-token', 'is empty; pr-comment needs it (the default, ${{ github.token }}, with permissions: pull-requests: write)');
    }
    const number = pullRequestOf(run)?.number;
    const [owner, repo] = (run.repository ?? '').split('/');
    const pullRequest = number !== undefined && owner && repo ? { owner, repo, number } : undefined;
    return { ...githubApi(githubToken, run), pullRequest };
}

;// CONCATENATED MODULE: ./src/settings/index.ts
// Every input, parsed once into a typed Settings object. Nothing here makes a request; every error names the input.












const WAIT_TIMEOUT_RULES = { secondsWithoutUnit: true, units: 'smh', example: '90s, 15m, 1h' };
/** The inputs that name files: paths or globs. */
const FILE_INPUTS = ['file', 'changelog-file', 'package-icon'];
/** The glob library, loaded when a file input may hold a glob (see files.ts). */
function globberFor(read) {
    return loadGlobber(FILE_INPUTS.flatMap((name) => read(name).split('\n')));
}
function parseSettings(readInput, { cwd, roots, warn, globber, platform, run, globMs }) {
    const read = withDefaults(readInput);
    const allowOutsideWorkspace = required('allow-outside-workspace', parseBoolean('allow-outside-workspace', read('allow-outside-workspace')));
    const files = { cwd, roots, allowOutsideWorkspace, globber, platform, globMs };
    const operation = required('operation', parseChoice('operation', read('operation'), OPERATIONS));
    const connection = parseConnection(read);
    const wait = {
        enabled: required('wait', parseBoolean('wait', read('wait'))),
        timeoutMs: required('wait-timeout', parseDuration('wait-timeout', read('wait-timeout'), WAIT_TIMEOUT_RULES))
    };
    const requireBuildId = () => {
        const id = parseId('build-id', read('build-id'));
        if (id === undefined)
            throw new InputError('build-id', `is required for operation '${operation}'`);
        return id;
    };
    const publish = required('publish', parseBoolean('publish', read('publish')));
    if (publish && operation !== 'upload') {
        throw new InputError('publish', `is for operation 'upload'; to publish an existing build use operation: publish, not '${operation}'`);
    }
    const force = required('force', parseBoolean('force', read('force')));
    if (force && operation !== 'delete')
        throw new InputError('force', `is for operation 'delete', not '${operation}'`);
    const comment = parseComment(read, run, operation);
    const common = { connection, wait, dryRun: required('dry-run', parseBoolean('dry-run', read('dry-run'))), comment };
    const { scope } = connection;
    switch (operation) {
        case 'upload': {
            const upload = parseUpload(read, files);
            const commitHistory = upload.changelog === 'auto' ? parseCommitHistory(read, run) : undefined;
            return { ...common, operation, upload, commitHistory, publish: publish ? parseInstallPage(read, run, scope, { warn }) : undefined };
        }
        case 'get': {
            const buildId = requireBuildId();
            return { ...common, operation, buildId, installPage: comment ? parseInstallPageTarget(read, run, scope) : undefined };
        }
        case 'list':
            return { ...common, operation, list: parseList(read) };
        case 'update': {
            const buildId = requireBuildId();
            const update = parseUpdate(read, connection.scope, files);
            const commitHistory = update.autoChangelog ? parseCommitHistory(read, run) : undefined;
            return { ...common, operation, buildId, update, commitHistory };
        }
        case 'delete':
            return { ...common, operation, buildId: requireBuildId(), force };
        case 'attach': {
            const buildId = requireBuildId();
            return { ...common, operation, buildId, attach: parseAttach(read, files, warn) };
        }
        case 'prune':
            return { ...common, operation, prune: parsePrune(read) };
        case 'publish': {
            const buildId = parseId('build-id', read('build-id'));
            const installPage = parseInstallPage(read, run, scope, { buildIdInput: buildId, warn });
            if (installPage.filter.kind === 'build' && buildId === undefined) {
                throw new InputError('build-id', "is required for operation 'publish' with publication-filter: build (the build the page serves)");
            }
            return { ...common, operation, buildId, publish: installPage };
        }
        case 'unpublish':
            return { ...common, operation, installPage: parseInstallPageTarget(read, run, scope) };
    }
}

;// CONCATENATED MODULE: ./src/report/summary.ts
// The job summary: what the step did to which builds, readable on the run's page.



const MAX_ROWS = 100;
/**
 * Build fields can come from untrusted sources (a PR title as version name): never let them be markup.
 * Line breaks go too: a blank line would end the HTML block and let the rest render as Markdown.
 */
function summary_escape(text) {
    const value = String(text ?? '');
    return value === '' ? '-' : escapeHtml(value).replace(/\r?\n/g, '<br>');
}
/** For <pre>, which keeps its blank lines inside the HTML block. */
function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
function commitCell(build, repositoryUrl) {
    const commit = String(build.deployer?.info?.commit ?? '');
    if (!commit)
        return '-';
    const short = summary_escape(commit.slice(0, 7));
    // Linked only to this run's repository: a URL stored on the build could point anywhere.
    return repositoryUrl && /^[0-9a-f]{7,40}$/i.test(commit) ? `<a href="${repositoryUrl}/commit/${commit}">${short}</a>` : short;
}
const BUILD_HEADER = ['Build', 'Version', 'Status', 'OS', 'Size', 'Tags', 'Commit', 'Created'].map((data) => ({ data, header: true }));
function buildRow(build, repositoryUrl) {
    return [
        `<code>${summary_escape(build.id)}</code>`,
        summary_escape(build.versionName),
        summary_escape(build.status),
        summary_escape(build.os),
        typeof build.size === 'number' ? formatBytes(build.size) : '-',
        summary_escape((build.tags ?? []).join(', ')),
        commitCell(build, repositoryUrl),
        summary_escape(build.createdAt)
    ];
}
function fileRow(record) {
    const size = record.file?.size;
    return [summary_escape(record.file?.originalName), summary_escape(record.description), typeof size === 'number' ? formatBytes(size) : '-'];
}
function addInstallPage(summary, page) {
    summary.addHeading('Install page', 4);
    const name = `<code>${summary_escape(page.slug)}</code>`;
    if (page.change === 'deleted') {
        summary.addRaw(`<p>Install page ${name} was deleted; its builds stay.</p>`, true);
        return;
    }
    const how = securityText(page.security);
    // Only an http(s) link is made a link: the URL comes from Applivery's answer.
    const link = page.url && /^https?:\/\//i.test(page.url) ? `<a href="${escapeHtml(page.url)}">${escapeHtml(page.url)}</a>` : summary_escape(page.url);
    summary.addRaw(`<p>${name} (${page.change}): ${link}${how ? `<br>${summary_escape(how)}` : ''}</p>`, true);
    if (page.qr)
        summary.addRaw(`<pre>${escapeHtml(page.qr)}</pre>`, true);
}
/** Writes the job summary; `redact` takes every secret out of it, whatever field it came in. */
async function writeSummary(report, ctx, redact = (text) => text) {
    const title = ctx.operation ? `Applivery: ${summary_escape(ctx.operation)}` : 'Applivery';
    const summary = summary_summary.addHeading(`${title}${ctx.dryRun ? ' (dry run)' : ''}`, 3);
    if (ctx.failure)
        summary.addRaw(`<p><strong>Failed:</strong> ${summary_escape(ctx.failure)}</p>`, true);
    if (report.builds) {
        const label = ctx.operation === 'prune' ? (ctx.dryRun ? 'Builds that would be deleted' : 'Deleted builds') : 'Builds';
        summary.addRaw(`<p>${label}: ${report.builds.length}</p>`, true);
        if (report.builds.length > 0) {
            const rows = report.builds.slice(0, MAX_ROWS).map((build) => buildRow(build, ctx.repositoryUrl));
            summary.addTable([BUILD_HEADER, ...rows]);
            if (report.builds.length > MAX_ROWS)
                summary.addRaw(`<p>... and ${report.builds.length - MAX_ROWS} more</p>`, true);
        }
    }
    else if (report.build) {
        summary.addTable([BUILD_HEADER, buildRow(report.build, ctx.repositoryUrl)]);
    }
    else if (report.buildId) {
        summary.addRaw(`<p>Build <code>${summary_escape(report.buildId)}</code>: ${summary_escape(report.status)}</p>`, true);
    }
    if (report.keptForPages && report.keptForPages.length > 0) {
        const kept = report.keptForPages.slice(0, MAX_ROWS);
        summary.addRaw(`<p>Kept because install pages serve them: ${report.keptForPages.length}</p>`, true);
        summary.addTable([
            [...BUILD_HEADER, { data: 'Install pages', header: true }],
            ...kept.map(({ build, pages }) => [...buildRow(build, ctx.repositoryUrl), summary_escape(pages.join(', '))])
        ]);
    }
    if (report.deleted)
        summary.addRaw(`<p>Build <code>${summary_escape(report.buildId)}</code> was deleted.</p>`, true);
    if (report.files && report.files.length > 0) {
        summary.addHeading('Attached files', 4);
        summary.addTable([['File', 'Description', 'Size'].map((data) => ({ data, header: true })), ...report.files.map(fileRow)]);
    }
    if (report.releaseNotes !== undefined) {
        summary.addHeading('Release notes', 4);
        summary.addRaw(`<pre>${escapeHtml(report.releaseNotes)}</pre>`, true);
    }
    if (report.installPage)
        addInstallPage(summary, report.installPage);
    if (ctx.dryRun) {
        summary.addRaw('<p>Dry run: nothing was changed. These requests would have been made:</p>', true);
        const lines = report.planned.flatMap((plan) => [`${plan.method} ${plan.url}`, ...plan.body.map((line) => `  ${line}`)]);
        summary.addCodeBlock(lines.length > 0 ? escapeHtml(lines.join('\n')) : '(none)');
    }
    const text = redact(summary.stringify());
    await summary.emptyBuffer().addRaw(text).write();
}

;// CONCATENATED MODULE: ./src/main.ts
// run(): inputs -> settings -> operation -> outputs. The one place that fails the step.















/** Inputs whose values are masked and redacted in every form before anything else can print them. */
const SECRET_INPUTS = ['token', 'publication-password', 'github-token'];
/** A cancelled workflow gives a step a few seconds before it is killed: finish well within them. */
const CANCEL_GRACE_MS = 4000;
async function run(env = process.env) {
    const startedAtMs = Date.now();
    const log = new ActionLog();
    const report = new Report();
    const read = envInputs(env);
    const cancel = new AbortController();
    let settings;
    let failure;
    const onSignal = (signal) => {
        cancel.abort(signal);
        setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
        // Outside the runner (a local run) an input's default expression arrives unevaluated: no secret.
        for (const name of SECRET_INPUTS)
            if (!read(name).startsWith('${{'))
                log.addSecret(read(name));
        for (const secret of proxySecrets(env))
            log.addSecret(secret);
        const timings = timingsFromEnv(env);
        const globber = await globberFor(read);
        const githubRun = runContext(env);
        const files = { ...fileRoots(env), globber, globMs: timings.globMs };
        settings = parseSettings(read, { ...files, warn: (message) => log.warning(message), run: githubRun });
        const trace = log.isDebug() ? (line) => log.debug(line) : undefined;
        const api = new AppliveryClient({
            ...settings.connection,
            timings,
            signal: cancel.signal,
            trace,
            warn: (line) => log.warning(line),
            dryRun: settings.dryRun,
            onPlanned: (plan) => {
                report.planned.push(plan);
                log.info(`Dry run: would ${plan.method} ${plan.url}`);
                for (const line of plan.body)
                    log.info(`  ${line}`);
            }
        });
        const githubTransport = { timings, signal: cancel.signal, trace, policy: { ...retryPolicy(timings), maxAttempts: 3 } };
        const comments = settings.comment
            ? new GitHubComments({
                token: settings.comment.githubToken,
                apiUrl: settings.comment.apiUrl,
                redact: (text) => log.redact(text),
                rereadMs: timings.rereadMs,
                log: (line) => log.info(line),
                signal: cancel.signal,
                transport: githubTransport
            })
            : undefined;
        const { commitHistory } = settings;
        const commits = commitHistory
            ? new GitHubCommits({ token: commitHistory.githubToken, apiUrl: commitHistory.apiUrl, transport: githubTransport })
            : undefined;
        const workspace = files.cwd;
        const ctx = {
            api,
            publications: api,
            workspace,
            scope: settings.connection.scope,
            comments,
            commits,
            report,
            log,
            run: githubRun,
            startedAtMs,
            timings
        };
        await runOperation(settings, { ...ctx, signal: cancel.signal });
    }
    catch (err) {
        failure = cancel.signal.aborted ? cancelledMessage(cancel.signal.reason, report, err) : errorMessage(err);
        log.fail(failure);
    }
    finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        writeOutputs(report, log);
        const repositoryUrl = env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}` : undefined;
        if (env.GITHUB_STEP_SUMMARY) {
            // Without settings (an input error) the operation is not known for sure: the summary then names none.
            const summary = { operation: settings?.operation, dryRun: settings?.dryRun ?? false, repositoryUrl, failure };
            await writeSummary(report, summary, (text) => log.redact(text)).catch((err) => log.warning(`Could not write the job summary: ${errorMessage(err)}`));
        }
    }
}
/** Each output on its own: one that cannot be written does not take the others (build-id first) with it. */
function writeOutputs(report, log) {
    let outputs;
    try {
        outputs = report.outputs();
    }
    catch (err) {
        log.fail(`Could not write the step outputs: ${errorMessage(err)}`);
        return;
    }
    for (const [name, value] of Object.entries(outputs)) {
        try {
            setOutput(name, value);
        }
        catch (err) {
            log.fail(`Could not write the step output ${name}: ${errorMessage(err)}`);
        }
    }
}
/** Where file inputs are resolved, and the folders they must stay in. */
function fileRoots(env) {
    const cwd = env.GITHUB_WORKSPACE || process.cwd();
    return { cwd, roots: [cwd, ...(env.RUNNER_TEMP ? [env.RUNNER_TEMP] : [])] };
}
function errorMessage(err) {
    return err instanceof Error ? err.message : String(err);
}
function cancelledMessage(signal, report, err) {
    const outputs = report.outputs();
    if (outputs['build-id'])
        return `Cancelled by ${String(signal)}. Build ${outputs['build-id']} (status '${outputs.status}') is in Applivery.`;
    if (err instanceof UploadCancelledError) {
        return (`Cancelled by ${String(signal)} during the upload. The build may still appear in Applivery: ` +
            `its deployer triggerTimestamp is ${err.triggerTimestamp}.`);
    }
    return `Cancelled by ${String(signal)}.`;
}
function runContext(env) {
    const context = new Context();
    return {
        eventName: context.eventName,
        sha: context.sha,
        ref: context.ref,
        payload: context.payload,
        serverUrl: context.serverUrl,
        runId: context.runId,
        runNumber: context.runNumber,
        runAttempt: Number.isSafeInteger(context.runAttempt) && context.runAttempt > 0 ? context.runAttempt : undefined,
        repository: env.GITHUB_REPOSITORY,
        apiUrl: context.apiUrl
    };
}


/***/ }),

/***/ 896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 339:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("module");

/***/ }),

/***/ 421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 16:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("url");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
