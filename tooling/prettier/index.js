/** One Prettier config for the whole workspace. */
export default {
  printWidth: 100,
  semi: true,
  singleQuote: false,
  trailingComma: "all",
};
