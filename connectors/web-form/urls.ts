export interface FormUrls {
  /** Where the form posts (and the hosted page, on GET). */
  action: string
  scriptUrl: string
  hostedUrl: string
}

export function formUrls(baseUrl: string, formId: string): FormUrls {
  const action = `${baseUrl}/f/${encodeURIComponent(formId)}`
  return { action, scriptUrl: `${action}/embed.js`, hostedUrl: action }
}
