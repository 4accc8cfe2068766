import { z } from 'zod';
import { emailField, newPassword } from '../identity.schemas.ts';

export const ForgottenPasswordForm = z.object({ email: emailField });

export const ResetPasswordForm = z.object({ password: newPassword('Enter a new password') });
