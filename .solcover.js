// Coverage of contracts/: the mocks are test-only tokens and attackers, never deployed by scripts.
module.exports = {
  skipFiles: ["mocks/"],
  // json-summary feeds scripts/check-coverage.mjs, the 95% gate.
  istanbulReporter: ["text", "lcov", "json-summary"],
};
