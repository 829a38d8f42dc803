/** `ClientsToServer` → `clients-to-server`: construct ids as policy names, DNS labels and file names. */
export function kebab(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/** Terraform-safe logical id from a kebab name: letters, digits, `_`; starts with a letter. */
export function terraformId(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Za-z]/.test(id) ? id : `n_${id}`;
}
