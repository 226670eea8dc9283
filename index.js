// n8n loads this package through the "n8n" section of package.json; this file is not published (files: ["dist"]).
module.exports = {};
