// Where the API answers. Empty: the same origin as the pages (the local stack, or a CloudFront
// distribution that routes the API paths). When the pages and the API are on different origins,
// set it to the API's base URL without a trailing slash (e.g. the `ApiUrl` output of the stack).
export const API_BASE = "";
